"""The people search with nothing to search for, and with a letter wrong in a name."""

import re

import pytest

from tests.pages import listed_people, page_text, visible_text
from tests.people import test_people_search

people = test_people_search.people  # the people search tests' people


def page_title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, flags=re.S).group(1).strip()


@pytest.mark.parametrize("query", ["%", "%%", "_", "🎬", "   ", "-", '"', "' --"])
def test_a_query_without_a_letter_or_digit_asks_for_a_name_and_lists_nobody(client, people, query):
    response = client.get("/personen/", {"q": query})
    assert response.status_code == 200
    html = page_text(response)
    text = visible_text(html)
    assert "Bitte gib einen Namen ein." in text
    assert 'class="person-list"' not in html
    assert "gefunden" not in text
    assert page_title(html) == "Personen suchen | filmdb"


def test_the_page_without_a_query_shows_only_the_form(client, people):
    html = page_text(client.get("/personen/", {"q": ""}))
    assert "Bitte gib" not in visible_text(html)
    assert "gefunden" not in visible_text(html)
    assert 'class="person-list"' not in html


def test_wildcards_beside_a_name_search_for_the_name(client, people):
    html = page_text(client.get("/personen/", {"q": "%cotillard%"}))
    assert listed_people(html) == ["Marion Cotillard"]


def test_a_name_with_a_letter_wrong_offers_the_nearest_name(client, people):
    response = client.get("/personen/", {"q": "Cotilard"})
    html = page_text(response)
    text = visible_text(html)
    assert "0 Personen gefunden" in text
    assert "Niemanden gefunden." in text
    assert 'class="person-list"' not in html
    assert "Meintest du: Marion Cotillard?" in text
    assert 'href="?q=Marion+Cotillard"' in html


def test_a_name_found_needs_no_suggestion(client, people):
    text = visible_text(page_text(client.get("/personen/", {"q": "Cotillard"})))
    assert "Meintest du" not in text
