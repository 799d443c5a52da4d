"""Whole public pages for visitors, kept in Django's cache and never shown stale.

Every cached page is stored with the content version it was rendered from. Any change to
the content (a saved or deleted film, person, credit, review, offer, genre, …) sets a new
version, and a page of an older version counts as missing. The version lives in the same
cache as the pages, so with Redis (``REDIS_URL``) a change reaches every worker process and
every app server on their next request; a hit reads the version and the page in one round
trip.

Content scheduled for later (a film or review published from a moment still to come)
changes pages without any save at that moment. So the cache also keeps, for the current
version, the next such moment (``SCHEDULE_KEY``, from the sources registered with
``publishes_later``), and a page is kept until then at most.

With read replicas (filmdb/lib/replicas.py) a version also names the primary's WAL
position when it was set (``version_position``): a request reads from a replica only once
the replica has replayed that far, so no page is kept under a version its data is older
than.

Views opt in with ``cache_for_visitors``; PageCacheMiddleware stores and serves. Visitors
who are logged in (editors, critics) always get a freshly rendered page that no cache
keeps: theirs may show drafts and admin links.
"""

import contextlib
import datetime
import hashlib
from collections.abc import Callable
from functools import wraps
from typing import NamedTuple
from urllib.parse import unquote_plus

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.crypto import get_random_string
from redis import RedisError

from filmdb.lib.replicas import primary_position

VERSION_KEY = "filmdb:content-version"
# (version, POSIX timestamp of the next scheduled publication or None) for that version.
SCHEDULE_KEY = "filmdb:next-publication"
PAGE_KEY_PREFIX = "filmdb:page:"
# The moment (a POSIX timestamp) after which a cached page is stale, whatever the version.
UNTIL_HEADER = "X-Filmdb-Cached-Until"

# A cache that does not answer slows pages down, it does not break them.
CACHE_ERRORS = (RedisError, OSError)

# Parameters that links carry for someone's statistics (newsletters, ads, social networks)
# and that change nothing on a page, besides every `utm_…`. They are left out of the
# request before a page is looked up or rendered: otherwise each newsletter's or ad's
# link would render the page in full and keep another ~25 KB copy in the cache, and a
# page rendered for one would carry them on in its canonical URL and its links.
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "gbraid",
        "wbraid",
        "dclid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "yclid",
        "ysclid",
        "igshid",
        "twclid",
        "ttclid",
        "li_fat_id",
        "mkt_tok",
        "_hsenc",
        "_hsmi",
        "srsltid",
    }
)
TRACKING_PREFIX = "utm_"


# Callables each answering the next moment (an aware datetime) at which content they
# know of becomes visible, or None.
_schedule_sources: list[Callable[[], datetime.datetime | None]] = []


def publishes_later(source: Callable[[], datetime.datetime | None]) -> None:
    """Register a source of scheduled publications (see the module's docstring)."""
    _schedule_sources.append(source)


class CachedPage(NamedTuple):
    """A visitor's page as the cache keeps it, with the content version it was rendered from."""

    version: str
    content: bytes
    headers: dict[str, str]  # with UNTIL_HEADER, for a page kept until a moment


def content_changed(**kwargs) -> None:
    """Retire every cached page: now, and again when the running transaction commits.

    The second bump keeps a page that another process renders while this transaction is
    still open (from the data before it) from being kept under the new version.
    """
    bump_version()
    transaction.on_commit(bump_version)


def invalidate_on_change(*content_models: type[models.Model]) -> None:
    """Connect the models whose rows appear on public pages."""
    for model in content_models:
        post_save.connect(content_changed, sender=model, dispatch_uid=f"page-cache-{model}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"page-cache-del-{model}")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                content_changed,
                sender=field.remote_field.through,
                dispatch_uid=f"page-cache-m2m-{model}-{field.name}",
            )


def cache_for_visitors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let PageCacheMiddleware keep the view's 200 answers to anonymous visitors.

    A page that changes at a known moment without any content changing (the current
    cinema week) says so in `response.cache_for_visitors_until` (an aware datetime): it
    is kept until then at most.
    """

    @wraps(view)
    def marked_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        else:
            response.cache_for_visitors = True
            # Browsers and proxies keep the page but ask each time (answered with 304).
            patch_cache_control(response, no_cache=True)
        return response

    return marked_view


class PageCacheMiddleware:
    """Answers visitors from the cache before sessions, URLs and views are involved.

    It sits right inside ConditionalGetMiddleware (304s for cached pages too) and outside
    the middleware that adds headers to pages (CSP, X-Frame-Options, Vary), whose headers
    are kept with the page. A request with a session cookie (an editor, a critic) always
    goes through; so does everything while PAGE_CACHE_SECONDS is 0. Tracking parameters
    are dropped from every request first, so that no view sees them, cache or not.

    A HEAD is answered from a cached page with its headers and no body; a page is stored
    only from a GET (a HEAD's answer has no body to keep).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        keys, found = getattr(request, "page_cache_read", None) or (keys_to_read(request), None)
        if not keys:
            return self.get_response(request)
        timeout = settings.PAGE_CACHE_SECONDS
        _, key, _ = keys
        version, page, schedule = _read(key, found)
        request.content_version = version  # the data read for the page must be this new
        if page is not None and page.version == version:
            until = page.headers.get(UNTIL_HEADER)
            # A HEAD gets the page's headers, its Content-Length included, and no body.
            content = page.content if request.method == "GET" else b""
            if until is None:
                return HttpResponse(content, headers=page.headers)
            if not _passed(float(until)):
                headers = {
                    name: value for name, value in page.headers.items() if name != UNTIL_HEADER
                }
                return HttpResponse(content, headers=headers)
        response = self.get_response(request)
        if (
            getattr(response, "cache_for_visitors", False)
            and response.status_code == 200
            and not response.cookies
            and not response.streaming
        ):
            etag = hashlib.md5(response.content, usedforsecurity=False).hexdigest()
            response["ETag"] = f'"{etag}"'
            headers = dict(response.items())
            until = getattr(response, "cache_for_visitors_until", None)
            if version is not None:
                publication = _next_publication(version, schedule)
                if publication is not None and (until is None or publication < until):
                    until = publication
            if until is not None:
                # Kept among the headers, so that the stored tuple keeps its shape for
                # the processes of an earlier release (during a deploy).
                headers[UNTIL_HEADER] = str(until.timestamp())
            if (
                request.method == "GET"
                and version is not None
                and (until is None or not _passed(until.timestamp()))
            ):
                _write(key, CachedPage(version, response.content, headers), timeout)
        return response


def keys_to_read(request: HttpRequest) -> list[str]:
    """The keys PageCacheMiddleware reads for `request`: the version, the page and the
    schedule, or none for a request it passes through. A middleware further out that asks
    the cache anyway (the API's rate limit) reads them in its own round trip and leaves
    them with what it found in `request.page_cache_read`, as (keys, found)."""
    drop_tracking_parameters(request)
    if (
        not settings.PAGE_CACHE_SECONDS
        or request.method not in ("GET", "HEAD")
        or settings.SESSION_COOKIE_NAME in request.COOKIES
    ):
        return []
    page = PAGE_KEY_PREFIX + hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return [VERSION_KEY, page, SCHEDULE_KEY]


def drop_tracking_parameters(request: HttpRequest) -> None:
    """Leave the tracking parameters out of the request's query string (and so out of
    `request.GET`, `build_absolute_uri()` and the page's cache key); the others stay as
    they were sent, in their order."""
    query = request.META.get("QUERY_STRING", "")
    if not query:
        return
    pairs = query.split("&")
    kept = [pair for pair in pairs if pair and not _is_tracking(pair.partition("=")[0])]
    if len(kept) < len(pairs):
        request.META["QUERY_STRING"] = "&".join(kept)
        request.__dict__.pop("GET", None)  # read again, from the shorter query string


def _is_tracking(name: str) -> bool:
    name = unquote_plus(name).lower()
    return name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIX)


def current_version() -> str:
    """The content version pages are cached under, stored first if the cache has none."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = _new_version()
        # Two processes that both find no version agree on the first one stored.
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


def bump_version() -> None:
    """Retire every cached page: from now on they are of an older version, and the next
    scheduled publication is looked up again for the new one."""
    # While the cache does not answer, no page is served from it either; a change made
    # during a short outage may show for at most PAGE_CACHE_SECONDS after it.
    version = _new_version()
    with contextlib.suppress(CACHE_ERRORS):
        cache.set(VERSION_KEY, version, timeout=None)
        _remember_schedule(version)


def version_position(version: str | None) -> str | None:
    """The primary's WAL position when `version` was set, if it was recorded."""
    return (version or "").partition("@")[2] or None


def _new_version() -> str:
    position = primary_position()
    token = get_random_string(16)
    return token if position is None else f"{token}@{position}"


def _next_publication(version: str, schedule: tuple | None) -> datetime.datetime | None:
    """The next scheduled publication for `version`: as remembered, unless it has passed
    or was not remembered for this version; then looked up and remembered anew."""
    remembered = schedule is not None and schedule[0] == version
    moment = schedule[1] if remembered else None
    if not remembered or (moment is not None and _passed(moment)):
        moment = _remember_schedule(version)
    return None if moment is None else datetime.datetime.fromtimestamp(moment, datetime.UTC)


def _remember_schedule(version: str) -> float | None:
    moments = [moment for source in _schedule_sources if (moment := source()) is not None]
    moment = min(moments).timestamp() if moments else None
    with contextlib.suppress(CACHE_ERRORS):
        cache.set(SCHEDULE_KEY, (version, moment), timeout=None)
    return moment


def _read(key: str, found: dict | None) -> tuple[str | None, CachedPage | None, tuple | None]:
    try:
        if found is None:
            found = cache.get_many([VERSION_KEY, key, SCHEDULE_KEY])
        version = found.get(VERSION_KEY) or current_version()
    except CACHE_ERRORS:
        return None, None, None
    entry = found.get(key)
    return version, None if entry is None else CachedPage._make(entry), found.get(SCHEDULE_KEY)


def _passed(until: float) -> bool:
    return timezone.now().timestamp() >= until


def _write(key: str, page: CachedPage, timeout: int) -> None:
    # Kept as a plain tuple, as before CachedPage: a pickled NamedTuple names its class,
    # which a process of another release (during a deploy) may not know, and its page
    # would then fail to load instead of counting as missing.
    with contextlib.suppress(CACHE_ERRORS):
        cache.set(key, tuple(page), timeout)
