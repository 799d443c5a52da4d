"""Which requests read from a replica: visitors' GETs, never older than the content version.

ReplicaReadMiddleware (installed with DATABASE_REPLICA_URLS, right inside
PageCacheMiddleware) lets a view read from a replica when the request is a GET or HEAD
without a session cookie (no editor, no critic), the view is not the admin's and not
marked `reads_from_primary`, and the replica has replayed the primary's WAL position of
the content version the page cache read for the request. Everything else reads from the
primary, as does the rest of a request once it writes (filmdb/lib/replicas.py). A view
whose read fails on the replica (stopped since it was last asked) runs again on the
primary.
"""

from collections.abc import Callable

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, Error
from django.http import HttpRequest, HttpResponse

from filmdb.lib.page_cache import (
    CACHE_ERRORS,
    bump_version,
    current_version,
    version_position,
)
from filmdb.lib.replicas import (
    fresh_replica,
    read_from,
    reading_alias,
    reading_from,
    replica_failed,
)

SAFE_METHODS = ("GET", "HEAD")


def reads_from_primary(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Keep the view on the primary, e.g. one that writes for visitors (a click counted)."""
    view.reads_from_primary = True
    return view


class ReplicaReadMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with reading_from(None):  # the view may choose a replica (process_view)
            return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        if (
            request.method in SAFE_METHODS
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not getattr(view_func, "reads_from_primary", False)
            and "admin" not in request.resolver_match.namespaces
        ):
            read_from(fresh_replica(_needed_position(request)))

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """The view again, on the primary, when its read failed on a replica."""
        alias = reading_alias()
        if alias == DEFAULT_DB_ALIAS or not isinstance(exception, Error):
            return None
        replica_failed(alias, exception)
        read_from(None)
        match = request.resolver_match
        response = match.func(request, *match.args, **match.kwargs)
        # A template response failed while it was rendered: Django renders no other.
        render = getattr(response, "render", None)
        return render() if callable(render) else response


def _needed_position(request: HttpRequest) -> str | None:
    """The WAL position of the content version the page will be cached under, or None
    (read from the primary) while the cache does not answer."""
    try:
        version = getattr(request, "content_version", None) or current_version()
    except CACHE_ERRORS:
        return None
    position = version_position(version)
    if position is None:
        # Set before replicas were configured: a version with a position replaces it.
        bump_version()
    return position
