from django.urls import path

from films import views

app_name = "browse"

urlpatterns = [
    path("genres/", views.genre_list, name="genres"),
    path("genre/<slug:slug>/", views.genre_detail, name="genre"),
    path("jahr/<int:year>/", views.year_detail, name="year"),
]
