from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from filmdb import views

admin.site.site_header = "filmdb Redaktion"
admin.site.site_title = "filmdb"
admin.site.index_title = "Inhalte verwalten"

urlpatterns = [
    path("", views.home, name="home"),
    path("admin/", admin.site.urls),
    path("filme/", include("films.urls")),
    path("personen/", include("people.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
