from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from films.models import Film, FilmRedirect
from films.structured_data import movie_data

FILMS_PER_PAGE = 20


@require_GET
def film_detail(request: HttpRequest, slug: str) -> HttpResponse:
    films = Film.objects.visible_to(request.user)
    try:
        film = films.for_detail(with_draft_reviews=request.user.is_staff).get(slug=slug)
    except Film.DoesNotExist:
        moved = get_object_or_404(FilmRedirect.objects.filter(film__in=films), old_slug=slug)
        return redirect(moved.film, permanent=True)
    context = {
        "film": film,
        "cast_and_crew": film.cast_and_crew(),
        "movie": movie_data(request, film),
        "draft": not film.is_published,
    }
    return render(request, "films/film_detail.html", context)


@require_GET
def film_list(request: HttpRequest) -> HttpResponse:
    films = Film.objects.published().newest().for_cards()
    query = request.GET.get("q", "").strip()
    if query:
        films = films.matching(query)
    page = Paginator(films, FILMS_PER_PAGE).get_page(request.GET.get("seite"))
    return render(request, "films/film_list.html", {"page": page, "query": query})
