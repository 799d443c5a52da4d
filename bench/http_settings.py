"""Settings for bench/http_pages.py: the site's own, plus a bare view to compare against."""

from filmdb.settings import *  # noqa: F403

ROOT_URLCONF = "http_urls"
