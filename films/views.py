from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from filmdb.lib.page_cache import cache_for_visitors
from filmdb.lib.pagination import CappedCountPaginator
from filmdb.lib.timeouts import search_time_limit
from films.film_page import film_page
from films.filters import FilmFilter
from films.models import Film, FilmRedirect
from films.search import suggest_person_name
from films.structured_data import movie_data

FILMS_PER_PAGE = 20


@require_GET
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
    }
    return render(request, "films/film_detail.html", context)


@require_GET
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
    data, found = filters.form.cleaned_data, filters.people_found.ids
    for field in ["darsteller", "regie", "q"]:
        names = data.get(field) or []
        for name in [names] if isinstance(names, str) else names:
            if found.get(name):
                continue
            nearest = suggest_person_name(name)
            if nearest and nearest.casefold() != name.casefold():
                params = filters.data.copy()
                params.setlist(field, [nearest if n == name else n for n in params.getlist(field)])
                params.pop("seite", None)
                return {"name": nearest, "querystring": params.urlencode()}
    return None
