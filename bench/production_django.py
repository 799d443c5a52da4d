"""Django as production runs it, for the benchmarks that time views in this process.

DEBUG off, the site's settings plus /bench/ok, the bare view (http_settings.py), and the
page cache and the API's limit per address off: they measure the server time of
rendering, not of the cache (bench/http_pages.py measures that).
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(*, allowed_host: str = "localhost") -> None:
    sys.path[:0] = [str(ROOT / "bench"), str(ROOT)]
    os.environ.update(
        DJANGO_SETTINGS_MODULE="http_settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="bench-only-secret-key-not-for-production-0123456789",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_HSTS_SECONDS="0",
        DJANGO_PAGE_CACHE_SECONDS="0",
        # Every request comes from one address; bench/http_pages.py counts the API's limit.
        DJANGO_API_RATE_LIMIT="0",
        DJANGO_ALLOWED_HOSTS=allowed_host,
    )
    os.environ.setdefault("DJANGO_STATIC_ROOT", str(ROOT / "bench" / "out" / "static"))

    import django

    django.setup()
