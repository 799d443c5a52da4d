from django.urls import path

from people import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("autocomplete/", views.person_autocomplete, name="autocomplete"),
    path("<slug:slug>/", views.person_detail, name="detail"),
]
