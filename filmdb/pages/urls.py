"""Every public page's address. The namespaces name what a page shows: films, people,
reviews, the browse pages and the Kinostarts."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from filmdb.pages import film_views, home_views, person_views, review_views
from filmdb.pages.sitemaps import SITEMAPS

films = [
    path("", film_views.film_list, name="list"),
    path("<slug:slug>/", film_views.film_detail, name="detail"),
]

kinostarts = [
    path("", film_views.kinostarts, name="current"),
    path("<text:day>/", film_views.kinostarts_week, name="week"),
]

browse = [
    path("genres/", film_views.genre_list, name="genres"),
    # Any slug: a genre's is not checked to be ASCII (an import or a test may store
    # "komödie"), and a film page linking its genres must not fail on one.
    path("genre/<text:slug>/", film_views.genre_detail, name="genre"),
    path("jahr/<int:year>/", film_views.year_detail, name="year"),
]

people = [
    path("", person_views.person_list, name="list"),
    path("autocomplete/", person_views.person_autocomplete, name="autocomplete"),
    path("<slug:slug>/", person_views.person_detail, name="detail"),
]

reviews = [
    path("", review_views.review_list, name="list"),
]

urlpatterns = [
    path("", home_views.home, name="home"),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS}, name="sitemap-index"),
    path(
        "sitemap-<text:section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("bestenliste/", review_views.best_list, name="bestenliste"),
    path("weiter/<text:offer_id>/", film_views.offer_click, name="offer-click"),
    path("feeds/kritiken/", home_views.reviews_feed, name="feed-reviews"),
    path("feeds/kinostarts/", home_views.kinostarts_feed, name="feed-kinostarts"),
    path("filme/", include((films, "films"))),
    path("kinostarts/", include((kinostarts, "kinostarts"))),
    path("", include((browse, "browse"))),
    path("personen/", include((people, "people"))),
    path("kritiken/", include((reviews, "reviews"))),
]
