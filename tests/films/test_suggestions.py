"""The search fields' suggestions offer films by title, next to people by name."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from films.models import Film
from people.models import Credit, Person

RUST_AND_BONE = "Der Geschmack von Rost und Knochen"


def suggestions(client, **params) -> dict:
    response = client.get("/personen/autocomplete/", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def film_titles(client, **params) -> list[str]:
    return [film["title"] for film in suggestions(client, **params)["films"]]


def queries_of_suggestions(client) -> int:
    """The films' two queries (the most popular matches, then the films chosen with their
    directors) and the people's; on PostgreSQL also the search's time limit and the
    savepoint it opens and closes inside a test's transaction. Once the page cache knows
    when the next film is due (it asks on the first request)."""
    client.get("/personen/autocomplete/", {"q": "vorab"})
    return 6 if connection.vendor == "postgresql" else 3


def test_a_film_is_offered_for_part_of_its_title_with_year_director_and_page(
    client, demo_film, django_assert_num_queries
):
    with django_assert_num_queries(queries_of_suggestions(client)):
        answer = suggestions(client, q="rost und")
    assert answer["films"] == [
        {
            "title": RUST_AND_BONE,
            "year": 2012,
            "director": "Jacques Audiard",
            "url": "/filme/der-geschmack-von-rost-und-knochen-2012/",
        }
    ]
    assert answer["results"] == []
    assert client.get(answer["films"][0]["url"]).status_code == 200


@pytest.mark.parametrize(
    "typed", ["Rost", "geschmack knoch", "KNOCHEN ROST", "rouille", "Geschmäck"]
)
def test_a_film_is_found_by_word_beginnings_in_any_order_case_and_spelling(
    client, demo_film, typed
):
    assert film_titles(client, q=typed) == [RUST_AND_BONE]


def test_films_and_people_are_offered_together(client, demo_film):
    Credit.objects.create(
        film=demo_film, person=Person.objects.create(name="Rosta Knochenhauer"), role="cast"
    )
    answer = suggestions(client, q="knoch")
    assert [film["title"] for film in answer["films"]] == [RUST_AND_BONE]
    assert [person["name"] for person in answer["results"]] == ["Rosta Knochenhauer"]
    # People's entries keep their shape: name, page and the film they are known from.
    assert answer["results"][0] == {
        "name": "Rosta Knochenhauer",
        "slug": "rosta-knochenhauer",
        "url": "/personen/rosta-knochenhauer/",
        "known_for": f"{RUST_AND_BONE} (2012)",
    }


def test_a_film_without_director_or_year_is_offered_with_what_it_has(client, make_film):
    make_film("Ohne Angaben", None, status="published")
    assert suggestions(client, q="ohne ang")["films"] == [
        {"title": "Ohne Angaben", "year": None, "director": "", "url": "/filme/ohne-angaben/"}
    ]


def test_the_exact_title_comes_first_then_titles_starting_with_it_then_the_most_popular(
    client, make_film
):
    for title, popularity in [
        ("Die lange Nacht", 50),
        ("Nacht", 1),
        ("Die kurze Nacht", 90),
        ("Nachtzug nach Lissabon", 5),
        ("Eine Nacht", 70),
    ]:
        film = make_film(title, 2020, status="published")
        Film.objects.filter(pk=film.pk).update(popularity=popularity)
    # At most four films: the least popular of the titles that only contain it is left out.
    assert film_titles(client, q="nacht") == [
        "Nacht",
        "Nachtzug nach Lissabon",
        "Die kurze Nacht",
        "Eine Nacht",
    ]


def test_drafts_and_scheduled_films_are_not_offered(client, make_film):
    make_film("Rostlaube im Entwurf", 2024)
    make_film(
        "Rostlaube geplant",
        2024,
        status="published",
        published_at=timezone.now() + datetime.timedelta(days=2),
    )
    make_film("Rostlaube gezeigt", 2024, status="published")
    assert film_titles(client, q="rostlaube") == ["Rostlaube gezeigt"]


@pytest.mark.parametrize("role", ["regie", "darsteller"])
def test_the_roles_suggestions_offer_only_people(client, demo_film, role):
    answer = suggestions(client, q="rost und", rolle=role)
    assert answer == {"results": [], "films": []}
    director = suggestions(client, q="audiard", rolle="regie")
    assert [person["name"] for person in director["results"]] == ["Jacques Audiard"]
    assert director["films"] == []


def test_the_people_searchs_suggestions_offer_only_people(client, demo_film):
    answer = suggestions(client, q="marion co", nur="personen")
    assert [person["name"] for person in answer["results"]] == ["Marion Cotillard"]
    assert answer["films"] == []
    assert suggestions(client, q="rost und", nur="personen") == {"results": [], "films": []}
    assert film_titles(client, q="rost und") == ["Der Geschmack von Rost und Knochen"]


@pytest.mark.parametrize("typed", ["", "   ", "ro", "r o", "!!!", "%", "%%%_", "' OR 1=1 --", "🎬"])
def test_too_little_or_only_punctuation_offers_nothing(client, demo_film, typed):
    assert suggestions(client, q=typed) == {"results": [], "films": []}


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("rost" * 1_000, "höchstens 200 Zeichen"),
        ("rost\x00und", "Nullzeichen sind nicht erlaubt"),
    ],
)
def test_bad_input_is_refused_in_german(client, demo_film, typed, message):
    response = client.get("/personen/autocomplete/", {"q": typed})
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_many_matching_films_cost_the_same_queries(client, make_film, django_assert_num_queries):
    Film.objects.bulk_create(
        Film(
            title=f"Rost {n}",
            slug=f"rost-{n}",
            year=2000,
            status="published",
            published_at=timezone.now(),
            search_text=f"rost {n}",
        )
        for n in range(30)
    )
    with django_assert_num_queries(queries_of_suggestions(client)):
        assert len(film_titles(client, q="rost")) == 4


def test_a_film_beyond_the_most_popular_is_still_offered(client, make_film, monkeypatch):
    """Only the most popular films are read in order of popularity (for one word the
    2,000 most popular first); a title none of them has is looked up in the title words'
    index."""
    monkeypatch.setattr("filmdb.pages.suggestions.POPULAR_TITLES", 2)
    monkeypatch.setattr("filmdb.pages.suggestions.FIRST_POPULAR", 2)
    for title, popularity in [("Rostfrei", 30), ("Sommer", 20), ("Rostlaube", 10), ("Winter", 5)]:
        film = make_film(title, 2020, status="published")
        Film.objects.filter(pk=film.pk).update(popularity=popularity)
    assert film_titles(client, q="rostl") == ["Rostlaube"]
    assert film_titles(client, q="rost") == ["Rostfrei", "Rostlaube"]
    assert film_titles(client, q="winter") == ["Winter"]
