"""Films: the search, one film, and a film by its IMDb id. Each reads with the pages' own
functions and answers what its schema (schemas.py) documents."""

import re

from django.http import Http404, HttpRequest, QueryDict
from django.shortcuts import get_object_or_404, redirect
from ninja import Path, Query, Router

from filmdb.api import problems
from filmdb.api.answers import PAGE_PARAMETER, listing, page_of, read, refuse_unknown
from filmdb.api.films import film_card_data, film_detail_data
from filmdb.api.schemas import FilmDetail, FilmList, Problem
from filmdb.lib.fields import IMDB_ID_MAX_LENGTH, imdb_id_message, imdb_id_pattern
from filmdb.lib.pagination import CappedCountPaginator
from filmdb.lib.timeouts import search_time_limit
from filmdb.lib.urls import remembered_reverse
from filmdb.pages.film_page import film_page
from filmdb.pages.filters import FilmFilter
from films.models import Film, FilmRedirect

router = Router(tags=["Filme"])


@read(
    router,
    "/filme/",
    response={200: FilmList, 400: Problem, 503: Problem},
    summary="Filme suchen",
    description=(
        "Die Filmsuche der Website mit ihren Parametern: Titel oder Name (`q`), Regie "
        "(`regie`) und Darsteller (`darsteller`, beide wiederholbar), Jahr (`jahr`, oder "
        "`jahr_von` und `jahr_bis`), Genre (Slug), FSK und Sortierung. 20 Filme je Seite; "
        "`next` ist die nächste Seite."
    ),
    url_name="film-list",
)
@search_time_limit(timed_out=problems.too_slow)
def film_list(
    request: HttpRequest,
    # The examples (the docs page's and the schema's) find the demo film together.
    q: str | None = Query(None, examples=["rost und knochen"]),
    regie: list[str] = Query(None, examples=[["audiard"]]),  # noqa: B008 (ninja's parameter declaration)
    darsteller: list[str] = Query(None, examples=[["cotillard"]]),  # noqa: B008
    jahr: str | None = Query(None, examples=["2012"]),
    jahr_von: str | None = None,
    jahr_bis: str | None = None,
    genre: str | None = Query(None, examples=["drama"]),
    fsk: str | None = Query(None, examples=["12"]),
    sortierung: str | None = Query(None, examples=["relevanz"]),
    seite: str | None = None,
):
    # The parameters are declared for the schema; the site's filter set reads and checks
    # them, with its German messages.
    filters = FilmFilter(_search_data(request), queryset=Film.objects.published())
    if not filters.is_valid():
        raise problems.BadRequest(filters.form.errors)
    page = page_of(request, filters.results(limit=CappedCountPaginator.cap + 1))
    return listing(request, page, [film_card_data(request, film) for film in page.object_list])


def _search_data(request: HttpRequest) -> QueryDict:
    """The search's data for FilmFilter: `jahr` is a year from and to."""
    refuse_unknown(request, [*FilmFilter.base_filters, "jahr", PAGE_PARAMETER])
    data = request.GET.copy()
    year = data.pop("jahr", None)
    if year:
        if data.get("jahr_von") or data.get("jahr_bis"):
            raise problems.BadRequest(
                {"jahr": ["Gib entweder „jahr“ oder „jahr_von“ und „jahr_bis“ an."]}
            )
        data["jahr_von"] = data["jahr_bis"] = year[-1]
    return data


@read(
    router,
    "/filme/imdb/{text:imdb_id}/",
    response={302: None, 400: Problem, 404: Problem},
    summary="Film nach IMDb-ID",
    description=(
        "Leitet mit 302 zum Film mit dieser IMDb-ID weiter (`tt` und mindestens sieben "
        "Ziffern), für Partner, die IMDb-IDs führen."
    ),
    url_name="film-by-imdb-id",
)
def film_by_imdb_id(
    request: HttpRequest,
    imdb_id: str = Path(
        ..., description="tt und mindestens sieben Ziffern.", examples=["tt2053425"]
    ),
):
    if len(imdb_id) > IMDB_ID_MAX_LENGTH or not re.fullmatch(imdb_id_pattern("tt"), imdb_id):
        raise problems.BadRequest({"imdb_id": [imdb_id_message("tt")]})
    slug = Film.objects.published().filter(imdb_id=imdb_id).values_list("slug", flat=True).first()
    if slug is None:
        raise Http404
    return redirect(remembered_reverse("api:film-detail", slug=slug))


@read(
    router,
    "/filme/{slug:slug}/",
    response={200: FilmDetail, 301: None, 404: Problem},
    summary="Ein Film",
    description=(
        "Ein veröffentlichter Film mit Genres, Plakat, Wertung der Kritik, Besetzung und "
        "Crew (mit deutschen Synchronstimmen), Kritiken und Angeboten. Entwürfe und "
        "geplante Filme gibt es hier nicht (404). Die alte Adresse eines Films, dessen "
        "Slug sich geändert hat, leitet mit 301 weiter."
    ),
    url_name="film-detail",
)
def film_detail(
    request: HttpRequest,
    slug: str = Path(
        ...,
        description="Der Slug des Films, wie in seiner Adresse auf der Website.",
        examples=["der-geschmack-von-rost-und-knochen-2012"],
    ),
):
    page = film_page(slug)
    if page is None:
        # A changed slug, as the film page answers it.
        moved = get_object_or_404(
            FilmRedirect.objects.filter(film__in=Film.objects.published()).select_related("film"),
            old_slug=slug,
        )
        return redirect(remembered_reverse("api:film-detail", slug=moved.film.slug), permanent=True)
    return film_detail_data(request, page)
