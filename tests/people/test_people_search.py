import re

import pytest
from django.db import connection
from django.db.models.expressions import RawSQL

from filmdb.pages.filters import CREDIT_ROLES, SearchRole
from films.models import Film
from people.models import Credit, Person, PersonQuerySet
from people.visibility import publish_people
from tests.pages import listed_people, page_text, visible_text


@pytest.fixture
def people(db, demo_film):
    inception = Film.objects.create(title="Inception", year=2010, status="published")
    Credit.objects.create(
        film=inception, person=Person.objects.create(name="Christopher Nolan"), role="director"
    )
    Credit.objects.create(
        film=inception,
        person=Person.objects.get(name="Marion Cotillard"),
        role="cast",
        character="Mal",
        order=2,
    )
    general = Film.objects.create(title="Der General", year=1926, status="published")
    for name in ["Marion Mack", "Anne-Marion Beispiel"]:
        Credit.objects.create(film=general, person=Person.objects.create(name=name), role="cast")
    return demo_film


def credit_all(people: list[Person]) -> None:
    """Credit `people` on a published film, so that visitors find them."""
    film = Film.objects.create(title="Viele", year=2020, status="published")
    Credit.objects.bulk_create(Credit(film=film, person=person, role="cast") for person in people)
    publish_people(person.pk for person in people)  # bulk writes send no signals


def suggest(client, **params) -> list[dict]:
    response = client.get("/personen/autocomplete/", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()["results"]


def test_person_search_finds_people_by_any_part_of_their_name(client, people):
    text = visible_text(page_text(client.get("/personen/", {"q": "cotillard"})))
    assert "1 Person gefunden" in text
    assert "Marion Cotillard – bekannt aus" in text


def test_person_search_puts_names_starting_with_the_query_first(client, people):
    response = client.get("/personen/", {"q": "marion"})
    names = listed_people(page_text(response))
    assert names == ["Marion Cotillard", "Marion Mack", "Anne-Marion Beispiel"]


def test_autocomplete_answers_names_slugs_urls_and_a_known_film(client, people):
    results = suggest(client, q="coti")
    assert results == [
        {
            "name": "Marion Cotillard",
            "slug": "marion-cotillard",
            "url": "/personen/marion-cotillard/",
            "known_for": "Der Geschmack von Rost und Knochen (2012)",
        }
    ]


def test_autocomplete_puts_prefix_matches_first_and_ignores_accents(client, people):
    assert [r["name"] for r in suggest(client, q="mari")] == [
        "Marion Cotillard",
        "Marion Mack",
        "Anne-Marion Beispiel",
    ]
    assert [r["name"] for r in suggest(client, q="CELINE sal")] == ["Céline Sallette"]


def test_three_letters_suggest_names_beginning_with_them_and_four_any_word(client, people):
    assert [r["name"] for r in suggest(client, q="mar")] == [
        "Marion Cotillard",
        "Marion Mack",
        "Martine Cassinelli",
    ]
    assert suggest(client, q="cot") == []
    assert [r["name"] for r in suggest(client, q="coti")] == ["Marion Cotillard"]
    assert [r["name"] for r in suggest(client, q="mar mac")] == ["Marion Mack"]
    assert [r["name"] for r in suggest(client, q="jac", rolle="regie")] == ["Jacques Audiard"]
    assert suggest(client, q="jac", rolle="darsteller") == []


def test_three_letters_suggest_only_public_people(client, people):
    Person.objects.create(name="Marius Unveröffentlicht")
    assert "Marius Unveröffentlicht" not in [r["name"] for r in suggest(client, q="mar")]


def test_autocomplete_by_role(client, people):
    assert [r["name"] for r in suggest(client, q="nolan", rolle="regie")] == ["Christopher Nolan"]
    assert suggest(client, q="nolan", rolle="darsteller") == []
    cotillard = suggest(client, q="cotillard", rolle="darsteller")
    assert cotillard[0]["known_for"] == "Der Geschmack von Rost und Knochen (2012)"
    assert suggest(client, q="cotillard", rolle="regie") == []


def test_each_search_role_finds_the_credits_of_its_role():
    assert {role: Credit.Role(CREDIT_ROLES[role]) for role in SearchRole} == {
        SearchRole.REGIE: Credit.Role.DIRECTOR,
        SearchRole.DARSTELLER: Credit.Role.CAST,
    }


def test_autocomplete_answers_at_most_ten(client, db):
    credit_all(
        Person.objects.bulk_create(
            Person(name=f"Schmidt {n}", slug=f"schmidt-{n}", search_text=f"schmidt {n}")
            for n in range(25)
        )
    )
    assert len(suggest(client, q="schmidt")) == 10


def test_autocomplete_needs_three_letters(client, people):
    assert suggest(client, q="ma") == []
    assert suggest(client, q="") == []


@pytest.mark.parametrize(
    "params",
    [{"q": "x" * 10_000}, {"q": "coti\x00"}, {"q": "coti", "rolle": "kamera"}],
)
def test_autocomplete_refuses_bad_input_in_german(client, people, params):
    response = client.get("/personen/autocomplete/", params)
    assert response.status_code == 400
    assert response.json()["error"]


@pytest.mark.parametrize("query", ["%", "_", "%%%", "🎬", "' OR 1=1 --"])
def test_odd_queries_are_harmless(client, people, query):
    """Matched as plain text: no wildcard or quote lists people whose names lack it.
    Without a letter or digit the page asks for a name."""
    has_words = re.search(r"[^\W_]", query) is not None
    text = visible_text(page_text(client.get("/personen/", {"q": query})))
    assert ("0 Personen gefunden" if has_words else "Bitte gib einen Namen ein.") in text
    assert "Marion" not in text
    assert suggest(client, q=query) == []


def test_the_search_form_offers_suggestions_and_works_without_javascript(client, people):
    html = page_text(client.get("/filme/"))
    assert 'data-autocomplete="darsteller"' in html
    assert 'data-autocomplete="regie"' in html
    assert '<script src="/static/js/autocomplete.js" defer></script>' in html
    assert 'method="get" action="/filme/"' in html


def test_person_search_pages_keep_the_query(client, db):
    credit_all(
        Person.objects.bulk_create(
            Person(name=f"Anna & Co {n}", slug=f"anna-co-{n}", search_text=f"anna co {n}")
            for n in range(25)
        )
    )
    html = page_text(client.get("/personen/", {"q": "anna co"}))
    assert 'href="?q=anna+co&amp;seite=2"' in html
    second = client.get("/personen/", {"q": "anna co", "seite": 2})
    assert len(listed_people(page_text(second))) == 5


@pytest.mark.postgresql
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_suggestions_that_take_too_long_end_with_a_german_json_error(
    client, people, settings, monkeypatch
):
    settings.SEARCH_TIMEOUT_MS = 100
    slow = RawSQL("SELECT id FROM people_person, pg_sleep(0.5)", [])
    monkeypatch.setattr(
        PersonQuerySet, "by_name_match", lambda self, query: self.filter(pk__in=slow)
    )
    response = client.get("/personen/autocomplete/", {"q": "marion"})
    assert response.status_code == 503
    assert response.json() == {
        "error": "Diese Suche dauert zu lange und wurde nach 0,1 Sekunden abgebrochen."
    }
    monkeypatch.undo()
    assert [person["name"] for person in suggest(client, q="cotillard")] == ["Marion Cotillard"]
