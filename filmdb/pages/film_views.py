import re

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from filmdb.lib.page_cache import cache_for_visitors
from filmdb.lib.pagination import CappedCountPaginator, RankedRows
from filmdb.lib.replica_reads import reads_from_primary
from filmdb.lib.timeouts import search_time_limit
from filmdb.pages.cards import film_cards
from filmdb.pages.film_page import film_page
from filmdb.pages.filters import FilmFilter
from filmdb.pages.kinostarts import (
    COMING_WEEKS,
    FIRST_WEEK,
    LAST_WEEK,
    WEEK,
    CinemaWeek,
    cinema_weeks,
    current_week,
    next_week_begins,
    parse_week_day,
    week_start,
)
from filmdb.pages.search import suggest_person_name
from filmdb.pages.structured_data import item_list, movie_data
from films.models import (
    FIRST_FILM_YEAR,
    Film,
    FilmRedirect,
    Genre,
    GenreListing,
    Offer,
    OfferClick,
)

FILMS_PER_PAGE = 20
# A year page for films announced this many years ahead at most.
YEARS_AHEAD = 5


@require_safe
@cache_for_visitors
def film_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = film_page(slug, with_drafts=request.user.is_staff)
    if page is None:
        films = Film.objects.visible_to(request.user)
        moved = get_object_or_404(FilmRedirect.objects.filter(film__in=films), old_slug=slug)
        return redirect(moved.film, permanent=True)
    context = {
        "page": page,
        "film": page.film,
        "movie": movie_data(request, page),
        "draft": not page.film.is_published,
        "scheduled": page.film.is_scheduled and page.film.published_at,
        "kinostart_week": page.film.release_date and week_start(page.film.release_date).isoformat(),
    }
    return render(request, "films/film_detail.html", context)


@require_safe
@cache_for_visitors
@search_time_limit
def film_list(request: HttpRequest) -> HttpResponse:
    """The film search: every filter of FilmFilter, 20 films a page."""
    filters = FilmFilter(request.GET, queryset=Film.objects.published())
    films = filters.results(limit=CappedCountPaginator.cap + 1)
    page = CappedCountPaginator(films, FILMS_PER_PAGE).get_page(request.GET.get("seite"))
    others = filters.data.copy()  # with the order in use, default or chosen
    others.pop("seite", None)
    context = {
        "filter": filters,
        "page": page,
        "query": filters.form.cleaned_data.get("q", "") if filters.is_valid() else "",
        "querystring": others.urlencode(),
        "suggestion": _suggestion(filters) if filters.is_valid() and not page.object_list else None,
    }
    return render(request, "films/film_list.html", context)


def _suggestion(filters: FilmFilter) -> dict | None:
    """ "Meintest du …?": the nearest name for the first searched name that finds nobody
    (names that find people but no film together need no other spelling)."""
    data, found = filters.form.cleaned_data, filters.people_found
    for field in ["darsteller", "regie", "q"]:
        names = data.get(field) or []
        for name in [names] if isinstance(names, str) else names:
            # A broad name finds many people, if none in the most popular films.
            if found.ids.get(name) or name in found.broad:
                continue
            nearest = suggest_person_name(name)
            if nearest:
                params = filters.data.copy()
                params.setlist(field, [nearest if n == name else n for n in params.getlist(field)])
                params.pop("seite", None)
                return {"name": nearest, "querystring": params.urlencode()}
    return None


@require_safe
@cache_for_visitors
def kinostarts(request: HttpRequest) -> HttpResponse:
    """This cinema week's Kinostarts, then the coming weeks' ("Demnächst im Kino")."""
    this_week, *coming = cinema_weeks(current_week(), 1 + COMING_WEEKS)
    response = _kinostarts_page(request, this_week, coming, url=reverse("kinostarts:current"))
    response.cache_for_visitors_until = next_week_begins()
    return response


@require_safe
@cache_for_visitors
def kinostarts_week(request: HttpRequest, day: str) -> HttpResponse:
    """The Kinostarts of the week starting on the Thursday `day`; any other day of a week
    redirects to its Thursday."""
    parsed = parse_week_day(day)
    if parsed is None:
        raise Http404("Kein Datum.")
    start = week_start(parsed)
    if start != parsed:
        return redirect("kinostarts:week", day=start.isoformat(), permanent=True)
    [week] = cinema_weeks(start, 1)
    return _kinostarts_page(request, week, [], url=reverse("kinostarts:week", args=[day]))


def _kinostarts_page(request, week: CinemaWeek, coming: list[CinemaWeek], url: str):
    films = [*week.films, *(film for later in coming for film in later.films)]
    context = {
        "week": week,
        "coming": coming,
        "path": url,
        # No link to a week without a page.
        "previous": week.start - WEEK if week.start > FIRST_WEEK else None,
        "next": week.start + WEEK if week.start < LAST_WEEK else None,
        "item_list": item_list(request, films),
    }
    return render(request, "films/kinostarts.html", context)


@require_safe
@cache_for_visitors
def genre_list(request: HttpRequest) -> HttpResponse:
    """Every genre with its number of published films."""
    Genre.objects.refresh_due()
    return render(request, "films/genre_list.html", {"genres": Genre.objects.all()})


@require_safe
@cache_for_visitors
def genre_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A genre's published films, newest first."""
    genre = get_object_or_404(Genre, slug=slug)
    films = (
        GenreListing.objects.visible()
        .filter(genre=genre)
        .newest()
        .values_list("film_id", flat=True)
    )
    return _film_browse_page(request, films, title=genre.name, path=genre.get_absolute_url())


@require_safe
@cache_for_visitors
def year_detail(request: HttpRequest, year: int) -> HttpResponse:
    """The published films of a year, newest first; 404 for a year no film can have."""
    if not FIRST_FILM_YEAR <= year <= timezone.localdate().year + YEARS_AHEAD:
        raise Http404("Kein Filmjahr.")
    films = Film.objects.published().of_year(year).newest().values_list("pk", flat=True)
    path = reverse("browse:year", args=[year])
    return _film_browse_page(request, films, title=f"Filme aus dem Jahr {year}", path=path)


def _film_browse_page(request: HttpRequest, ids, *, title: str, path: str) -> HttpResponse:
    """A page of the film cards of `ids` (a query of film ids, in their order)."""
    ids = list(ids[: CappedCountPaginator.cap + 1])
    page = CappedCountPaginator(RankedRows(ids, film_cards), FILMS_PER_PAGE).get_page(
        request.GET.get("seite")
    )
    context = {
        "title": title,
        "path": path if page.number == 1 else f"{path}?seite={page.number}",
        "page": page,
        "item_list": item_list(request, page.object_list),
    }
    return render(request, "films/film_browse.html", context)


# Who follows a link without being a visitor: crawlers and link checkers by their user
# agent (read to decide, never kept), and browsers fetching ahead of a click.
CRAWLER = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|facebookexternalhit|embedly|preview|fetch|monitor|"
    r"curl/|wget/|python-|httpclient|okhttp|go-http-client|headless",
    re.IGNORECASE,
)
PREFETCH_HEADERS = ("Sec-Purpose", "Purpose", "X-Purpose", "X-Moz")
OFFER_ID = re.compile(r"[0-9]{1,18}")  # a bigint, never a number the database refuses


def is_navigation(request: HttpRequest) -> bool:
    """Whether the browser opens the link as a page of its own. Current browsers say what
    a request is for (Fetch Metadata), so an <img>, <script>, fetch() or <iframe> that any
    page points at the link is no click; a browser that sends none of it is believed."""
    mode = request.headers.get("Sec-Fetch-Mode")
    destination = request.headers.get("Sec-Fetch-Dest")
    return mode in {None, "navigate"} and destination in {None, "document"}


def counts_as_click(request: HttpRequest) -> bool:
    """A visitor's click: a GET navigation, not fetched ahead, from a browser rather than a
    crawler."""
    if request.method != "GET" or not is_navigation(request):
        return False
    if any("prefetch" in request.headers.get(name, "").lower() for name in PREFETCH_HEADERS):
        return False
    agent = request.headers.get("User-Agent", "")
    return bool(agent) and not CRAWLER.search(agent)


@require_safe
@reads_from_primary
def offer_click(request: HttpRequest, offer_id: str) -> HttpResponse:
    """Counts a visitor's click on an offer of a published film, then sends them to
    exactly the offer's stored link; nothing about the visitor is kept."""
    if not OFFER_ID.fullmatch(offer_id):
        raise Http404("Kein Angebot.")
    offer = (
        Offer.objects.filter(pk=int(offer_id), film__in=Film.objects.published())
        .only("url")
        .first()
    )
    if offer is None:
        raise Http404("Kein Angebot.")
    if counts_as_click(request):
        OfferClick.objects.count_one(offer.pk, timezone.localdate())
    response = HttpResponseRedirect(offer.url)
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "private, no-store"
    return response
