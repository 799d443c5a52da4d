from django.urls import path

from films import views

app_name = "browse"

urlpatterns = [
    path("genres/", views.genre_list, name="genres"),
    # Any slug: a genre's is not checked to be ASCII (an import or a test may store
    # "komödie"), and a film page linking its genres must not fail on one.
    path("genre/<text:slug>/", views.genre_detail, name="genre"),
    path("jahr/<int:year>/", views.year_detail, name="year"),
]
