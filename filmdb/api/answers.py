"""What every endpoint's answer shares: cached like a page and open to every origin,
GET and HEAD, pages of 20 with the next page's address, unknown parameters refused."""

from collections.abc import Callable, Iterable, Sequence
from functools import wraps

from django.core.paginator import InvalidPage, Page
from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.decorators import decorate_view

from filmdb.api.problems import BadRequest
from filmdb.lib.page_cache import cache_for_visitors
from filmdb.lib.pagination import CappedCountPaginator

PER_PAGE = 20
PAGE_PARAMETER = "seite"


def public(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Cached for visitors like a page (with an ETag, 304 on If-None-Match) and readable
    from any origin: the data is public and read-only."""

    @wraps(view)
    def public_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return open_to_every_origin(view(request, *args, **kwargs))

    return cache_for_visitors(public_view)


def open_to_every_origin(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    return response


def read(router: Router, path: str, **operation):
    """A public GET endpoint of `router`, answering HEAD as the pages do (the schema lists
    the GET only: ProblemsAPI)."""

    def register(view):
        return router.api_operation(["GET", "HEAD"], path, **operation)(decorate_view(public)(view))

    return register


def refuse_unknown(request: HttpRequest, known: Iterable[str]) -> None:
    """400 for a parameter the endpoint does not know (a list's page, `seite`, is among
    its `known`): a typo (`regi=`) would else answer as if nothing had been asked."""
    unknown = sorted(set(request.GET) - set(known))
    if unknown:
        raise BadRequest({name: ["Diesen Parameter gibt es hier nicht."] for name in unknown})


def page_of(request: HttpRequest, items: Sequence) -> Page:
    """The page `seite` (the first by default) of `items`, 20 a page."""
    try:
        return CappedCountPaginator(items, PER_PAGE).page(request.GET.get(PAGE_PARAMETER) or 1)
    except InvalidPage as error:
        raise BadRequest({PAGE_PARAMETER: ["Diese Seite gibt es nicht."]}) from error


def listing(request: HttpRequest, page: Page, results: list) -> dict:
    """A list's answer: its `results` and the address of the next page, or None."""
    following = None
    if page.has_next():
        params = request.GET.copy()
        params[PAGE_PARAMETER] = str(page.next_page_number())
        following = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    return {"results": results, "next": following}
