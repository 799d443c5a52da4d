import math

from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from filmdb.lib.page_cache import cache_for_visitors
from filmdb.lib.pagination import CappedCountPaginator, RankedRows
from filmdb.pages.cards import film_cards
from filmdb.pages.forms import BestListForm
from filmdb.pages.structured_data import item_list, review_data
from films.models import Film, Genre, GenreListing
from reviews.models import Review
from reviews.ratings import refresh_due_ratings

REVIEWS_PER_PAGE = 10
FILMS_PER_PAGE = 20


@require_safe
@cache_for_visitors
def review_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(Review.objects.for_list(), REVIEWS_PER_PAGE).get_page(request.GET.get("seite"))
    reviews_data = {
        "@context": "https://schema.org",
        "@graph": [review_data(request, review) for review in page],
    }
    return render(request, "reviews/review_list.html", {"page": page, "reviews_data": reviews_data})


@require_safe
@cache_for_visitors
def best_list(request: HttpRequest) -> HttpResponse:
    """Published films ranked by their critics' average rating, by genre and decade: the
    best 1,000 of each choice, read in index order (counting all 70,000 rated films of
    IMDb's size took longer than reading the 1,001 best)."""
    genres = list(Genre.objects.all())
    form = BestListForm(request.GET, genres=genres)
    refresh_due_ratings()
    ranked = []
    if form.is_valid():
        chosen = form.cleaned_data
        ranked = rated_films(genre=chosen["genre"], decade=chosen["jahrzehnt"])
        ranked = list(ranked[: CappedCountPaginator.cap + 1])
    page = CappedCountPaginator(RankedRows(ranked, rated_film_cards), FILMS_PER_PAGE).get_page(
        request.GET.get("seite")
    )
    others = request.GET.copy()
    others.pop("seite", None)
    context = {
        "form": form,
        "page": page,
        "films": page.object_list,
        "genres": genres,
        "decades": range(1900, timezone.localdate().year // 10 * 10 + 1, 10),
        "querystring": others.urlencode(),
        "item_list": item_list(request, page.object_list),
    }
    return render(request, "reviews/best_list.html", context)


def rated_films(*, genre=None, decade: int | None = None) -> models.QuerySet:
    """Published films with published, rated reviews, best first: by the average of
    those ratings (`rating_average`), then by their number (`rating_count`), then by
    title. Rows of (film id, average, number); a genre's read from its listing."""
    if genre is None:
        films = Film.objects.published().best()
        if decade is not None:
            films = films.filter(year__range=(decade, decade + 9))
        return films.values_list("pk", "rating_average", "rating_count")
    films = GenreListing.objects.visible().filter(genre=genre).best()
    if decade is not None:
        films = films.filter(decade=decade)
    return films.values_list("film_id", "rating_average", "rating_count")


def rated_film_cards(rows: list[tuple[int, float, int]]) -> list[Film]:
    """The film cards of ranked (film id, average, number of ratings) rows, each with its
    average, number and stars."""
    ratings = {pk: (average, rated) for pk, average, rated in rows}
    films = film_cards(ratings)
    for film in films:
        film.average, film.rated = ratings[film.pk]
        # Whole stars, halves rounded up (Jinja's round() takes 4.5 to 4 and 3.5 to 4).
        film.stars = math.floor(film.average + 0.5)
    return films
