"""Searches with nothing to search for, and names typed with a letter wrong."""

import re

import pytest

from people.models import Credit, Person
from tests.films import test_search
from tests.pages import film_card_titles, page_text, visible_text

catalogue = test_search.catalogue  # the search tests' films and people

NOTHING_TO_SEARCH = ["%", "%%", "_", "🎬", "🎬🍿", "   ", "-", '"', "%_%"]


def page_title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, flags=re.S).group(1).strip()


@pytest.mark.parametrize("query", NOTHING_TO_SEARCH)
def test_a_query_without_a_letter_or_digit_asks_for_a_title_and_lists_no_film(
    client, catalogue, query
):
    response = client.get("/filme/", {"q": query})
    assert response.status_code == 200
    html = page_text(response)
    assert "Bitte gib einen Titel oder Namen ein." in visible_text(html)
    assert film_card_titles(html) == []
    assert "Keine Filme gefunden" not in visible_text(html)
    assert page_title(html) == "Filme suchen | filmdb"


@pytest.mark.parametrize("field", ["darsteller", "regie"])
@pytest.mark.parametrize("name", NOTHING_TO_SEARCH)
def test_a_name_without_a_letter_or_digit_asks_for_a_name_and_lists_no_film(
    client, catalogue, field, name
):
    response = client.get("/filme/", {field: name})
    assert response.status_code == 200
    html = page_text(response)
    assert "Bitte gib einen Namen ein." in visible_text(html)
    assert film_card_titles(html) == []
    assert page_title(html) == "Filme suchen | filmdb"


def test_one_empty_name_field_among_filled_ones_is_no_error(client, catalogue):
    response = client.get("/filme/", {"darsteller": ["Cotillard", ""], "regie": ""})
    assert film_card_titles(page_text(response)) == [
        "Der Geschmack von Rost und Knochen",
        "Inception",
    ]


def test_an_empty_search_still_lists_every_film(client, catalogue):
    html = page_text(client.get("/filme/", {"q": ""}))
    assert len(film_card_titles(html)) == 5
    assert "Bitte gib" not in visible_text(html)


def test_wildcards_beside_a_word_search_for_the_word(client, catalogue):
    html = page_text(client.get("/filme/", {"q": "% pate"}))
    assert film_card_titles(html) == ["Der Pate"]
    assert page_title(html) == "„% pate“ – Filmsuche | filmdb"
    names = page_text(client.get("/filme/", {"darsteller": "_cotillard_"}))
    assert film_card_titles(names) == ["Der Geschmack von Rost und Knochen", "Inception"]


def test_a_search_that_finds_nothing_says_so_outside_the_film_list(client, catalogue):
    html = page_text(client.get("/filme/", {"q": "Zzyzx"}))
    assert "Keine Filme gefunden." in visible_text(html)
    assert 'class="film-list"' not in html


@pytest.mark.parametrize("field", ["q", "darsteller"])
def test_a_name_with_a_letter_wrong_offers_the_nearest_name(client, catalogue, field):
    response = client.get("/filme/", {field: "Cotilard"})
    html = page_text(response)
    assert film_card_titles(html) == []
    assert "Meintest du: Marion Cotillard?" in visible_text(html)
    assert f"{field}=Marion+Cotillard" in html
    following = client.get("/filme/", {field: "Marion Cotillard"})
    assert "Inception" in film_card_titles(page_text(following))


def test_a_name_nobody_is_like_offers_no_other_name(client, catalogue):
    html = page_text(client.get("/filme/", {"darsteller": "Zzyzxqw"}))
    assert "Meintest du" not in visible_text(html)


def test_a_broad_name_gets_no_suggestion(client, catalogue):
    # A word of two letters is a broad name: like too many names to suggest one.
    html = page_text(client.get("/filme/", {"darsteller": "Cotilard xy"}))
    assert "Meintest du" not in visible_text(html)


def test_only_published_people_are_suggested(client, catalogue):
    # Known only from a draft film, she is no one visitors may see.
    person = Person.objects.create(name="Wilma Verborgen")
    Credit.objects.create(film=catalogue["draft"], person=person, role="cast")
    html = page_text(client.get("/filme/", {"darsteller": "Verborgn"}))
    assert "Meintest du" not in visible_text(html)
