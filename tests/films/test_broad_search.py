"""Searches by words or name beginnings that match many films or people: one or two
letters, common title words, common first names. They rank the best candidates only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from filmdb.lib.page_cache import content_changed
from filmdb.pages import search
from films.models import Film
from people.models import Credit, Person
from tests.conftest import empty_cache
from tests.films.test_search import data_queries
from tests.pages import film_card_titles, page_text, visible_text

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")


def titles(client, **params) -> list[str]:
    response = client.get("/filme/", params)
    assert response.status_code == 200
    return film_card_titles(page_text(response))


def film_with_cast(title: str, names: list[str], extra_credits: int = 0) -> Film:
    """A published film with `names` as its cast in that order, and `extra_credits` crew
    credits of other people, which make it more popular."""
    film = Film.objects.create(title=title, year=2000, status="published")
    for order, name in enumerate(names):
        person = Person.objects.filter(name=name).first() or Person.objects.create(name=name)
        Credit.objects.create(film=film, person=person, role="cast", order=order)
    for n in range(extra_credits):
        person = Person.objects.create(name=f"Crew {title} {n}")
        Credit.objects.create(film=film, person=person, role="editor", order=100 + n)
    return film


def test_a_one_letter_search_lists_films_not_a_503(client, demo_film):
    response = client.get("/filme/", {"q": "a"})
    assert response.status_code == 200
    # Jacques Audiard directs it.
    assert "Der Geschmack von Rost und Knochen" in film_card_titles(page_text(response))


def test_two_letters_still_find_a_popular_actress(client, demo_film):
    film_with_cast("Inception", ["Leonardo DiCaprio", "Marion Cotillard"])
    found = titles(client, q="ma")
    assert "Der Geschmack von Rost und Knochen" in found  # she leads its cast
    assert "Inception" in found
    assert titles(client, darsteller="ma")[:1] == ["Der Geschmack von Rost und Knochen"]


def test_short_director_and_actor_searches_answer_with_films(client, demo_film):
    assert titles(client, regie="au") == ["Der Geschmack von Rost und Knochen"]
    assert titles(client, darsteller="a", regie="j") == ["Der Geschmack von Rost und Knochen"]
    assert titles(client, regie="zz") == []


def test_a_short_name_is_looked_for_only_in_the_most_popular_films(client, db, monkeypatch):
    monkeypatch.setattr(search, "POPULAR_FILMS", 1)
    film_with_cast("Großer Film", ["Mara Lind"], extra_credits=5)
    film_with_cast("Kleiner Film", ["Mara Lind", "Mats Ohm"])
    assert titles(client, darsteller="ma") == ["Großer Film"]
    # The whole name is no broad name: all her films.
    assert titles(client, darsteller="mara lind") == ["Großer Film", "Kleiner Film"]


def test_a_broad_name_finds_the_people_billed_first_in_popular_films(client, db, monkeypatch):
    monkeypatch.setattr(search, "BROAD_PEOPLE", 1)
    film_with_cast("Hauptrolle", ["Nina Brandt", "Nils Berg"], extra_credits=2)
    film_with_cast("Nebenrolle", ["Otto Klee", "Nils Berg"])
    assert titles(client, darsteller="ni") == ["Hauptrolle"]  # Nina Brandt leads it


def test_a_name_that_many_people_have_is_a_broad_name(client, db, monkeypatch):
    monkeypatch.setattr(search, "BROAD_NAME", 2)
    monkeypatch.setattr(search, "POPULAR_FILMS", 2)
    film_with_cast("Erster", ["Anna Alt"], extra_credits=4)
    film_with_cast("Zweiter", ["Anna Bach"], extra_credits=2)
    film_with_cast("Dritter", ["Anna Chor"])
    assert titles(client, darsteller="anna") == ["Erster", "Zweiter"]
    monkeypatch.setattr(search, "BROAD_NAME", 3)
    empty_cache()  # the page cache keeps the first answer
    assert titles(client, darsteller="anna") == ["Erster", "Zweiter", "Dritter"]


def test_short_title_words_rank_the_most_popular_matching_films(client, db, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATES", 2)
    film_with_cast("Nacht", ["Ida Ries"])
    film_with_cast("Nacht und Nebel", ["Ida Ries"], extra_credits=3)
    film_with_cast("Lange Nacht", ["Ida Ries"], extra_credits=6)
    # The two most popular matches; of them the title starting with the word first.
    assert titles(client, q="na") == ["Nacht und Nebel", "Lange Nacht"]
    assert "2 Filme gefunden" in visible_text(page_text(client.get("/filme/", {"q": "na"})))


@on_postgresql
def test_postgresql_takes_a_word_of_many_titles_for_a_common_one(db, monkeypatch):
    monkeypatch.setattr(search, "COMMON_WORDS", 20)
    Film.objects.bulk_create(
        Film(
            title=f"Zeit {n}",
            slug=f"zeit-{n}",
            status="published",
            published_at=timezone.now(),
            search_text=f"zeit {n}",
        )
        for n in range(200)
    )
    Film.objects.create(title="Morgenrot", status="published")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE films_film")
    assert search.has_common_words("zeit")
    assert not search.has_common_words("morgenrot")


@on_postgresql
def test_a_common_title_word_ranks_its_most_popular_films(client, db, monkeypatch):
    monkeypatch.setattr(search, "has_common_words", lambda query: True)
    monkeypatch.setattr(search, "CANDIDATES", 2)
    film_with_cast("Zeit", ["Ida Ries"])
    film_with_cast("Zeit der Wölfe", ["Ida Ries"], extra_credits=3)
    film_with_cast("Keine Zeit", ["Ida Ries"], extra_credits=6)
    assert titles(client, q="zeit") == ["Zeit der Wölfe", "Keine Zeit"]


@on_postgresql
def test_a_broad_name_without_films_among_the_popular_ones_suggests_no_other_name(
    client, db, monkeypatch
):
    monkeypatch.setattr(search, "BROAD_NAME", 0)
    monkeypatch.setattr(search, "POPULAR_FILMS", 1)
    film_with_cast("Bekannt", ["Otto Klee"], extra_credits=3)
    film_with_cast("Unbekannt", ["Peter Schelling"])
    response = client.get("/filme/", {"darsteller": "schel"})
    assert response.status_code == 200
    assert film_card_titles(page_text(response)) == []
    assert "Meintest du" not in visible_text(page_text(response))


def test_a_one_letter_search_takes_the_same_few_queries_however_many_films_match(client, db):
    """The broad name's people, the most popular matching films, the ranked ids, the page's
    cards and the form's genres: five, with 3 matching films as with 40."""

    def queries() -> int:
        content_changed()  # a new content version: no cached page
        client.get("/filme/", {"q": "a"})  # looks up once what is scheduled next
        content_changed()
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/filme/", {"q": "a"})
        assert response.status_code == 200
        return len(data_queries(captured.captured_queries))

    for n in range(3):
        film_with_cast(f"Abend {n}", [f"Anna Alt {n}"])
    few = queries()
    for n in range(3, 40):
        film_with_cast(f"Abend {n}", [f"Anna Alt {n}"])
    assert queries() == few <= 5
    assert len(titles(client, q="a")) == 20
