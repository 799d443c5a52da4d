"""The site's URLs plus /bench/ok: a Django view that does nothing but answer "ok"."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from filmdb.urls import urlpatterns as site_urlpatterns


def ok(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/ok", ok), *site_urlpatterns]
