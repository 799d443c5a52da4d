"""The API's limit of requests per address and minute (API_RATE_LIMIT), counted in the
cache that every worker and app server shares (filmdb/lib/rate_limit.py).

A middleware, so that it counts what the page cache answers too (a client repeating one
cached address is limited as well); it sits outside the page cache and the ETag check.
It reads what the page cache needs in the same round trip to Redis as it counts, so an
API request costs no more round trips than a page.
Every address under the API's prefix counts, the schema and its docs page included.
While the cache does not answer, the API answers without a limit.
"""

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from filmdb.api.problems import problem
from filmdb.api.urls import API_PREFIX
from filmdb.lib.client_address import client_address
from filmdb.lib.page_cache import CACHE_ERRORS, keys_to_read
from filmdb.lib.rate_limit import Window, address_group, count_request

WINDOW_SECONDS = 60
# While the cache fails, a process says so once in this many seconds.
WARNING_SECONDS = 600

logger = logging.getLogger(__name__)
_last_warning: float | None = None


class RateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.API_RATE_LIMIT
        if limit and request.path_info.startswith(f"/{API_PREFIX}"):
            window = _counted(request)
            if window is not None and window.count > limit:
                return too_many_requests(limit, window.seconds_left)
        return self.get_response(request)


def _counted(request: HttpRequest) -> Window | None:
    client = f"api:{address_group(client_address(request))}"
    keys = keys_to_read(request)
    try:
        window, found = count_request(client, WINDOW_SECONDS, keys)
    except CACHE_ERRORS as error:
        global _last_warning
        now = time.monotonic()
        if _last_warning is None or now - _last_warning >= WARNING_SECONDS:
            _last_warning = now
            logger.warning(
                "The API's rate limit is not kept while the cache fails (%s: %s).",
                error.__class__.__name__,
                error,
            )
        return None
    if keys:
        request.page_cache_read = keys, found
    return window


def too_many_requests(limit: int, seconds: int) -> HttpResponse:
    wait = "einer Sekunde" if seconds == 1 else f"{seconds} Sekunden"
    response = problem(
        429,
        "Zu viele Anfragen",
        f"Höchstens {limit} Anfragen in der Minute von einer Adresse. Versuch es in {wait} wieder.",
    )
    response["Retry-After"] = str(seconds)
    # Browsers let a page of another origin read the answer, and its Retry-After.
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "Retry-After"
    return response
