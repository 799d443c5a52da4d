from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from films.models import Film
from reviews.models import Review

HOME_FILMS = 12
HOME_REVIEWS = 5


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "films": Film.objects.published().newest().for_cards()[:HOME_FILMS],
        "reviews": Review.objects.for_list()[:HOME_REVIEWS],
    }
    return render(request, "home.html", context)


@require_GET
def affiliate_links(request: HttpRequest) -> HttpResponse:
    return render(request, "affiliate_links.html")


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap = request.build_absolute_uri(reverse("sitemap-index"))
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
