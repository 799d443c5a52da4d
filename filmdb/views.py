import errno

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.views.decorators.http import require_safe
from django.views.defaults import page_not_found as site_page_not_found
from django.views.static import serve

from filmdb.api import problems
from filmdb.api.answers import open_to_every_origin
from filmdb.lib.page_cache import CACHE_ERRORS, cache_for_visitors
from filmdb.lib.replicas import replica_report
from filmdb.models import InfoPage


@require_safe
@cache_for_visitors
def info_page(request: HttpRequest, kind: str) -> HttpResponse:
    """The Impressum or the privacy notice, as the Redaktion wrote it."""
    page = get_object_or_404(InfoPage, kind=kind)
    return render(request, "info_page.html", {"page": page})


@require_safe
def affiliate_links(request: HttpRequest) -> HttpResponse:
    return render(request, "affiliate_links.html")


@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when the database and the cache answer, else 503. Each
    replica's lag (or error) is reported too.

    Neither can hold it long: the database's connect timeout and the cache's socket
    timeouts (settings) turn a server that does not answer into a 503 within seconds.
    """
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["datenbank"] = "ok"
    except DatabaseError as error:
        checks["datenbank"] = f"Fehler: {error.__class__.__name__}"
    try:
        probe = get_random_string(12)
        cache.set("healthz", probe, timeout=10)
        checks["cache"] = "ok" if cache.get("healthz") == probe else "Fehler: liest nicht zurück"
    except CACHE_ERRORS as error:
        checks["cache"] = f"Fehler: {error.__class__.__name__}"
    healthy = all(value == "ok" for value in checks.values())
    if settings.DATABASE_REPLICAS:
        # Reported, never failing the check: visitors read from the primary meanwhile.
        checks["replikate"] = replica_report()
    return JsonResponse(checks, status=200 if healthy else 503)


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap = request.build_absolute_uri(reverse("sitemap-index"))
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /weiter/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
def media(request: HttpRequest, path: str) -> HttpResponse:
    """Uploaded files, when Django serves them itself (DJANGO_SERVE_MEDIA, local runs).

    MEDIA_ROOT is read on each request, not when the URLconf is imported, so a changed
    setting (each test's own media folder) is what gets served.
    """
    try:
        return serve(request, path, document_root=settings.MEDIA_ROOT)
    except OSError as error:
        if error.errno == errno.ENAMETOOLONG:  # no such file can exist
            raise Http404 from error
        raise


def page_not_found(request: HttpRequest, exception: Http404) -> HttpResponse:
    """404 for an address no route matches: under /api/ as the API answers every 404 (a
    problem, application/problem+json), so that a client reading the API never gets the
    site's HTML page for an odd slug (`/api/v1/filme/a b/`); elsewhere the site's page."""
    if request.path_info.startswith("/api/"):
        return open_to_every_origin(problems.not_found(request, exception))
    return site_page_not_found(request, exception)
