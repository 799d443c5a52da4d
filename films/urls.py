from django.urls import path

from films import views

app_name = "films"

urlpatterns = [
    path("", views.film_list, name="list"),
    path("<slug:slug>/", views.film_detail, name="detail"),
]
