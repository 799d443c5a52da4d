import datetime

import pytest

from filmdb.demo import FILM_SLUG
from filmdb.pages.kinostarts import current_week
from films.models import Film, Genre

KINOSTART = "2013-01-10"  # the demo film's, a Thursday


def slugs_of(answer: dict) -> list[str]:
    return [film["slug"] for film in answer["results"]]


def slugs(response) -> list[str]:
    return slugs_of(response.json())


def test_a_cinema_week_lists_its_films_with_their_kinostart_and_fsk(demo_film, api_get):
    week = api_get(f"/api/v1/kinostarts/{KINOSTART}/").json()
    assert week["start"] == KINOSTART
    assert week["end"] == "2013-01-16"
    [film] = [film for film in week["results"] if film["slug"] == FILM_SLUG]
    assert film["kinostart"] == KINOSTART
    assert film["fsk"] == demo_film.fsk
    assert film["genres"] == ["Drama"]
    assert week["next"] == "http://testserver/api/v1/kinostarts/2013-01-17/"
    assert week["previous"] == "http://testserver/api/v1/kinostarts/2013-01-03/"


def test_any_day_of_a_week_leads_to_its_thursdays_kinostarts(make_film, api_get, clock):
    thursday = current_week()
    friday = thursday + datetime.timedelta(days=1)
    make_film(title="Neu im Kino", slug="neu", release_date=friday, status=Film.Status.PUBLISHED)
    response = api_get(f"/api/v1/kinostarts/{friday.isoformat()}/")
    assert response.status_code == 301
    assert response["Location"] == f"/api/v1/kinostarts/{thursday.isoformat()}/"
    week = api_get(response["Location"]).json()
    assert week["start"] == thursday.isoformat()
    assert slugs_of(week) == ["neu"]


def test_a_draft_starting_that_week_is_not_listed(demo_film, make_film, api_get):
    make_film(
        title="Entwurf",
        slug="entwurf",
        release_date=datetime.date(2013, 1, 10),
        status=Film.Status.DRAFT,
    )
    assert "entwurf" not in slugs(api_get(f"/api/v1/kinostarts/{KINOSTART}/"))


@pytest.mark.parametrize("day", ["2013-02-30", "10.01.2013", "0001-01-04", "heute", "2013-1-10"])
def test_a_day_that_is_no_date_is_400(db, api_get, day):
    response = api_get(f"/api/v1/kinostarts/{day}/")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "JJJJ-MM-TT" in response.json()["detail"]


def test_the_bestenliste_ranks_rated_films_with_their_rating(demo_film, api_get):
    [film] = api_get("/api/v1/bestenliste/").json()["results"]
    assert film["slug"] == FILM_SLUG
    assert film["rating"] == {"average": 4.0, "count": 1}


@pytest.mark.parametrize(
    ("params", "found"),
    [
        ({"genre": "drama"}, True),
        ({"jahrzehnt": "2010"}, True),
        ({"genre": "drama", "jahrzehnt": "2010"}, True),
        ({"jahrzehnt": "1990"}, False),
    ],
)
def test_the_bestenliste_by_genre_and_decade(demo_film, api_get, params, found):
    assert (FILM_SLUG in slugs(api_get("/api/v1/bestenliste/", params))) is found


def test_the_bestenliste_of_another_genre_leaves_the_film_out(demo_film, api_get):
    Genre.objects.create(name="Komödie", slug="komoedie")
    assert slugs(api_get("/api/v1/bestenliste/", {"genre": "komoedie"})) == []


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"genre": "gibtsnicht"}, "genre"),
        ({"jahrzehnt": "1995"}, "jahrzehnt"),
        ({"jahrzehnt": "neunziger"}, "jahrzehnt"),
        ({"jahrzent": "1990"}, "jahrzent"),
        ({"seite": "3"}, "seite"),
    ],
)
def test_a_bad_bestenliste_parameter_is_400(demo_film, api_get, params, parameter):
    response = api_get("/api/v1/bestenliste/", params)
    assert response.status_code == 400
    assert parameter in response.json()["errors"]


def test_the_genres_count_their_films_and_link_their_search(demo_film, api_get):
    genres = api_get("/api/v1/genres/").json()["results"]
    [drama] = [genre for genre in genres if genre["slug"] == "drama"]
    assert drama["name"] == "Drama"
    assert drama["film_count"] >= 1
    assert drama["films"] == "http://testserver/api/v1/filme/?genre=drama"
    assert FILM_SLUG in [
        film["slug"]
        for film in api_get("/api/v1/filme/", {"genre": "drama", "jahr": "2012"}).json()["results"]
    ]


def test_lists_without_pages_refuse_a_page(db, api_get):
    assert api_get("/api/v1/genres/", {"seite": "2"}).status_code == 400
