"""The lists beside the search: a cinema week's Kinostarts, the Bestenliste and the
genres, each read with its page's own functions."""

from urllib.parse import urlencode

from django.http import HttpRequest
from django.shortcuts import redirect
from ninja import Path, Query, Router

from filmdb.api.answers import PAGE_PARAMETER, listing, page_of, read, refuse_unknown
from filmdb.api.films import film_card_data
from filmdb.api.problems import BadRequest
from filmdb.api.schemas import CinemaWeek, GenreList, Problem, RatedList
from filmdb.lib.pagination import CappedCountPaginator, RankedRows
from filmdb.lib.urls import remembered_reverse
from filmdb.pages.forms import BestListForm
from filmdb.pages.kinostarts import FIRST_WEEK, LAST_WEEK, WEEK, cinema_weeks, parse_week_day
from filmdb.pages.kinostarts import week_start as thursday_of
from filmdb.pages.review_views import rated_film_cards, rated_films
from films.models import Genre
from reviews.ratings import refresh_due_ratings

router = Router(tags=["Listen"])


@read(
    router,
    "/kinostarts/{text:day}/",
    # 404: an address with a character no day has (a NUL) matches no route.
    response={200: CinemaWeek, 301: None, 400: Problem, 404: Problem},
    summary="Kinostarts einer Woche",
    description=(
        "Die Filme, die in der Kinowoche ab diesem Donnerstag (`JJJJ-MM-TT`) in deutschen "
        "Kinos starten, nach Datum und Titel. Ein anderer Tag leitet mit 301 zum "
        "Donnerstag seiner Woche weiter: so holst du mit dem heutigen Datum die Kinostarts "
        "dieser Woche."
    ),
    url_name="kinostarts",
)
def kinostarts(
    request: HttpRequest,
    day: str = Path(..., description="Ein Tag als JJJJ-MM-TT.", examples=["2013-01-10"]),
):
    refuse_unknown(request, [])
    parsed = parse_week_day(day)
    if parsed is None:
        raise BadRequest(
            {"day": ["Gib einen Tag als JJJJ-MM-TT an, etwa 2013-01-10, aus einem Filmjahr."]}
        )
    start = thursday_of(parsed)
    if start != parsed:
        return redirect(_week_url(start), permanent=True)
    [week] = cinema_weeks(start, 1)
    return {
        "start": week.start,
        "end": week.end,
        "results": [
            film_card_data(request, film)
            | {
                "kinostart": film.release_date,
                "fsk": film.fsk,
                "runtime": film.runtime,
                "genres": film.card_genres,
            }
            for film in week.films
        ],
        # No link to a week without one.
        "previous": _week_link(request, start - WEEK) if start > FIRST_WEEK else None,
        "next": _week_link(request, start + WEEK) if start < LAST_WEEK else None,
    }


def _week_url(start) -> str:
    return remembered_reverse("api:kinostarts", day=start.isoformat())


def _week_link(request: HttpRequest, start) -> str:
    return request.build_absolute_uri(_week_url(start))


@read(
    router,
    "/bestenliste/",
    response={200: RatedList, 400: Problem},
    summary="Bestenliste",
    description=(
        "Die veröffentlichten Filme nach der durchschnittlichen Wertung der Kritik, dann "
        "nach der Zahl der Wertungen, wie die Bestenliste der Website; wahlweise nur ein "
        "Genre (`genre`, sein Slug) und ein Jahrzehnt (`jahrzehnt`, etwa 1990)."
    ),
    url_name="bestenliste",
)
def best_list(
    request: HttpRequest,
    genre: str | None = Query(None, examples=["drama"]),
    jahrzehnt: str | None = Query(None, examples=["2010"]),
    seite: str | None = None,
):
    refuse_unknown(request, ["genre", "jahrzehnt", PAGE_PARAMETER])
    form = BestListForm(request.GET, genres=list(Genre.objects.all()))
    if not form.is_valid():
        raise BadRequest(form.errors)
    refresh_due_ratings()
    chosen = form.cleaned_data
    ranked = rated_films(genre=chosen["genre"], decade=chosen["jahrzehnt"])
    page = page_of(
        request, RankedRows(list(ranked[: CappedCountPaginator.cap + 1]), rated_film_cards)
    )
    return listing(
        request,
        page,
        [
            film_card_data(request, film)
            | {"rating": {"average": film.average, "count": film.rated}}
            for film in page.object_list
        ],
    )


@read(
    router,
    "/genres/",
    response={200: GenreList, 400: Problem},
    summary="Genres",
    description=(
        "Alle Genres mit der Zahl ihrer veröffentlichten Filme und der Adresse ihrer "
        "Filmsuche; eine Seite, `next` ist immer null."
    ),
    url_name="genres",
)
def genre_list(request: HttpRequest):
    refuse_unknown(request, [])
    Genre.objects.refresh_due()
    search = request.build_absolute_uri(remembered_reverse("api:film-list"))
    return {
        "results": [
            {
                "slug": genre.slug,
                "name": genre.name,
                "film_count": genre.film_count,
                "films": f"{search}?{urlencode({'genre': genre.slug})}",
            }
            for genre in Genre.objects.all()
        ],
        "next": None,
    }
