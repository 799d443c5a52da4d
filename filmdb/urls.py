from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path, register_converter

from filmdb import views
from filmdb.api.urls import API_PREFIX, api
from filmdb.lib.urls import TextConverter

# Every public segment of free text is a <text:…>, never a <str:…>: a NUL in the address
# (/genre/%00/) is then a 404 before any view could hand it to the database. Registered
# before the pages' URL module below is included, which uses it.
register_converter(TextConverter, "text")

urlpatterns = [
    path("affiliate-links/", views.affiliate_links, name="affiliate-links"),
    path("impressum/", views.info_page, {"kind": "impressum"}, name="impressum"),
    path("datenschutz/", views.info_page, {"kind": "datenschutz"}, name="datenschutz"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path(API_PREFIX, api.urls),
    path("", include("filmdb.pages.urls")),
]

handler404 = views.page_not_found

if settings.SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [
        re_path(rf"^{media_prefix}(?P<path>.*)$", views.media, name="media"),
    ]
