from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path, register_converter

from filmdb import views
from filmdb.lib.urls import TextConverter
from films import views as film_views
from films.sitemaps import FilmSitemap, GenreSitemap, KinostartsSitemap, YearSitemap
from people.sitemaps import PersonSitemap
from reviews import views as reviews_views
from reviews.sitemaps import ReviewSitemap

# Every public segment of free text is a <text:…>, never a <str:…>: a NUL in the address
# (/genre/%00/) is then a 404 before any view could hand it to the database. Registered
# before the apps' URL modules below are included, which use it.
register_converter(TextConverter, "text")

sitemaps = {
    "filme": FilmSitemap,
    "personen": PersonSitemap,
    "kritiken": ReviewSitemap,
    "kinostarts": KinostartsSitemap,
    "genres": GenreSitemap,
    "jahre": YearSitemap,
}

urlpatterns = [
    path("", views.home, name="home"),
    path("affiliate-links/", views.affiliate_links, name="affiliate-links"),
    path("impressum/", views.info_page, {"kind": "impressum"}, name="impressum"),
    path("datenschutz/", views.info_page, {"kind": "datenschutz"}, name="datenschutz"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("healthz", views.healthz, name="healthz"),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": sitemaps}, name="sitemap-index"),
    path(
        "sitemap-<text:section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("bestenliste/", reviews_views.best_list, name="bestenliste"),
    path("weiter/<text:offer_id>/", film_views.offer_click, name="offer-click"),
    path("feeds/kritiken/", views.reviews_feed, name="feed-reviews"),
    path("feeds/kinostarts/", views.kinostarts_feed, name="feed-kinostarts"),
    path("admin/", admin.site.urls),
    path("filme/", include("films.urls")),
    path("kinostarts/", include("films.kinostarts_urls")),
    path("", include("films.browse_urls")),
    path("personen/", include("people.urls")),
    path("kritiken/", include("reviews.urls")),
]

if settings.SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [
        re_path(rf"^{media_prefix}(?P<path>.*)$", views.media, name="media"),
    ]
