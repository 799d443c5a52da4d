from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from filmdb.lib.page_cache import cache_for_visitors
from films.structured_data import review_data
from reviews.models import Review

REVIEWS_PER_PAGE = 10


@require_GET
@cache_for_visitors
def review_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(Review.objects.for_list(), REVIEWS_PER_PAGE).get_page(request.GET.get("seite"))
    reviews_data = {
        "@context": "https://schema.org",
        "@graph": [review_data(request, review) for review in page],
    }
    return render(request, "reviews/review_list.html", {"page": page, "reviews_data": reviews_data})
