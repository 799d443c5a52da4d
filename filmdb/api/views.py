"""The API's endpoints: each reads with the pages' own functions and answers JSON that
its schema (schemas.py) documents. Answers are cached like pages (page_cache), with an
ETag, and open to every origin: the data is public and read-only."""

import re
from functools import partial, wraps

from django.core.paginator import InvalidPage
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from ninja import Query
from ninja.decorators import decorate_view

from filmdb.api import problems
from filmdb.api.films import film_card_data, film_detail_data
from filmdb.api.schemas import FilmDetail, FilmList, Problem
from filmdb.lib.fields import IMDB_ID_MAX_LENGTH, imdb_id_message, imdb_id_pattern
from filmdb.lib.page_cache import cache_for_visitors
from filmdb.lib.pagination import CappedCountPaginator
from filmdb.lib.urls import remembered_reverse
from filmdb.pages.film_page import film_page
from filmdb.pages.filters import FilmFilter
from films.models import Film

FILMS_PER_PAGE = 20
# The search's parameters besides the filter set's own: its page.
PAGE_PARAMETER = "seite"

api = problems.ProblemsAPI(
    title="filmdb API",
    version="1",
    description=(
        "Die öffentliche Schnittstelle von filmdb: Filme mit deutschem Titel, FSK, Kinostart, "
        "Verleih, Besetzung mit deutschen Synchronstimmen und Kritiken. Nur lesend, als JSON; "
        "Feldnamen englisch, Parameter wie auf der Website."
    ),
    urls_namespace="api",
)
problems.register(api)

# GET, and HEAD as the pages answer it (the schema lists the GETs).
read = partial(api.api_operation, ["GET", "HEAD"])


def public(view):
    """Cached for visitors like a page (with an ETag, 304 on If-None-Match) and readable
    from any origin."""

    @wraps(view)
    def public_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return cache_for_visitors(public_view)


@read(
    "/filme/",
    response={200: FilmList, 400: Problem},
    summary="Filme suchen",
    description=(
        "Die Filmsuche der Website mit ihren Parametern: Titel oder Name (`q`), Regie "
        "(`regie`) und Darsteller (`darsteller`, beide wiederholbar), Jahr (`jahr`, oder "
        "`jahr_von` und `jahr_bis`), Genre (Slug), FSK und Sortierung. 20 Filme je Seite; "
        "`next` ist die nächste Seite."
    ),
    url_name="film-list",
)
@decorate_view(public)
def film_list(
    request: HttpRequest,
    q: str | None = None,
    regie: list[str] = Query(None),  # noqa: B008 (ninja's parameter declaration)
    darsteller: list[str] = Query(None),  # noqa: B008
    jahr: str | None = None,
    jahr_von: str | None = None,
    jahr_bis: str | None = None,
    genre: str | None = None,
    fsk: str | None = None,
    sortierung: str | None = None,
    seite: str | None = None,
):
    # The parameters are declared for the schema; the site's filter set reads and checks
    # them, with its German messages.
    filters = FilmFilter(_search_data(request.GET), queryset=Film.objects.published())
    if not filters.is_valid():
        raise problems.BadRequest(filters.form.errors)
    films = filters.results(limit=CappedCountPaginator.cap + 1)
    try:
        page = CappedCountPaginator(films, FILMS_PER_PAGE).page(seite or 1)
    except InvalidPage as error:
        raise problems.BadRequest({PAGE_PARAMETER: ["Diese Seite gibt es nicht."]}) from error
    return {
        "results": [
            film_card_data(request, film, remembered_reverse("api:film-detail", slug=film.slug))
            for film in page.object_list
        ],
        "next": _next_page(request, page.next_page_number()) if page.has_next() else None,
    }


def _search_data(params: QueryDict) -> QueryDict:
    """The search's data for FilmFilter: `jahr` is a year from and to."""
    unknown = set(params) - set(FilmFilter.base_filters) - {"jahr", PAGE_PARAMETER}
    if unknown:
        raise problems.BadRequest(
            {name: ["Diesen Parameter kennt die Filmsuche nicht."] for name in sorted(unknown)}
        )
    data = params.copy()
    year = data.pop("jahr", None)
    if year:
        if data.get("jahr_von") or data.get("jahr_bis"):
            raise problems.BadRequest(
                {"jahr": ["Gib entweder „jahr“ oder „jahr_von“ und „jahr_bis“ an."]}
            )
        data["jahr_von"] = data["jahr_bis"] = year[-1]
    return data


def _next_page(request: HttpRequest, number: int) -> str:
    params = request.GET.copy()
    params[PAGE_PARAMETER] = str(number)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


@read(
    "/filme/imdb/{text:imdb_id}/",
    response={302: None, 400: Problem, 404: Problem},
    summary="Film nach IMDb-ID",
    description=(
        "Leitet mit 302 zum Film mit dieser IMDb-ID weiter (`tt` und mindestens sieben "
        "Ziffern), für Partner, die IMDb-IDs führen."
    ),
    url_name="film-by-imdb-id",
)
@decorate_view(public)
def film_by_imdb_id(request: HttpRequest, imdb_id: str):
    if len(imdb_id) > IMDB_ID_MAX_LENGTH or not re.fullmatch(imdb_id_pattern("tt"), imdb_id):
        raise problems.BadRequest({"imdb_id": [imdb_id_message("tt")]})
    slug = Film.objects.published().filter(imdb_id=imdb_id).values_list("slug", flat=True).first()
    if slug is None:
        raise Http404
    return redirect(remembered_reverse("api:film-detail", slug=slug))


@read(
    "/filme/{slug:slug}/",
    response={200: FilmDetail, 404: Problem},
    summary="Ein Film",
    description=(
        "Ein veröffentlichter Film mit Genres, Plakat, Wertung der Kritik, Besetzung und "
        "Crew (mit deutschen Synchronstimmen), Kritiken und Angeboten. Entwürfe und "
        "geplante Filme gibt es hier nicht (404)."
    ),
    url_name="film-detail",
)
@decorate_view(public)
def film_detail(request: HttpRequest, slug: str):
    page = film_page(slug)
    if page is None:
        raise Http404
    return film_detail_data(request, page)
