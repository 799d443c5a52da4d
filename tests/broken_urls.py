"""A URLconf whose only view fails, to show the 500 page."""

from django.urls import path


def broken(request):
    raise RuntimeError("kaputt")


urlpatterns = [path("kaputt/", broken)]
