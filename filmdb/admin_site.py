"""The admin site: Django's, with query strings that PostgreSQL can take and an editors'
overview on its start page."""

from functools import wraps

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest


class FilmdbAdminSite(admin.AdminSite):
    site_header = "filmdb Redaktion"
    site_title = "filmdb"
    index_title = "Inhalte verwalten"

    def admin_view(self, view, cacheable=False):
        """Every admin view, refusing NUL bytes in the query string.

        The changelists' filters and lookups (`?status=`, `?title=`) and the autocomplete's
        `term` reach the database unchecked, and PostgreSQL refuses NUL in text.
        """

        @wraps(view)
        def without_nul(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if any("\x00" in key or "\x00" in "".join(v) for key, v in request.GET.lists()):
                return HttpResponseBadRequest("Die Adresse enthält ein Nullzeichen (%00).")
            return view(request, *args, **kwargs)

        return super().admin_view(without_nul, cacheable)

    def index(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        # Imported here: this module is imported while the apps load (FilmdbAdminConfig),
        # before the models the overview reads are ready.
        from filmdb.admin_overview import editors_overview

        context = {"overview": editors_overview(request.user), **(extra_context or {})}
        return super().index(request, context)


class FilmdbAdminConfig(AdminConfig):
    default_site = "filmdb.admin_site.FilmdbAdminSite"
