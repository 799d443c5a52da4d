"""The home page and the feeds' views."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from filmdb.lib.page_cache import cache_for_visitors
from filmdb.pages.cards import film_cards
from filmdb.pages.feeds import KinostartsFeed, LatestReviewsFeed
from filmdb.pages.kinostarts import next_week_begins
from films.models import Film
from reviews.models import Review

HOME_FILMS = 12
HOME_REVIEWS = 5


@require_safe
@cache_for_visitors
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "films": film_cards(
            Film.objects.published().newest().values_list("pk", flat=True)[:HOME_FILMS]
        ),
        "reviews": Review.objects.for_list()[:HOME_REVIEWS],
    }
    return render(request, "home.html", context)


@require_safe
@cache_for_visitors
def reviews_feed(request: HttpRequest) -> HttpResponse:
    return LatestReviewsFeed()(request)


@require_safe
@cache_for_visitors
def kinostarts_feed(request: HttpRequest) -> HttpResponse:
    response = KinostartsFeed()(request)
    response.cache_for_visitors_until = next_week_begins()  # when its entries change
    return response
