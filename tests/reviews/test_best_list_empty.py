"""The Bestenliste's ranks and its empty state."""

import re

from filmdb.pages import review_views as views
from tests.pages import page_text, visible_text
from tests.reviews.test_best_list import film


def test_the_empty_bestenliste_says_so_outside_any_list(client, db):
    html = page_text(client.get("/bestenliste/"))
    assert "Noch keine bewerteten Filme." in visible_text(html)
    assert "<ol" not in html.split("<main", 1)[1]
    assert not re.search(r"<li>\s*Noch keine", html)


def test_the_bestenliste_counts_from_one_and_on_from_page_to_page(client, db, monkeypatch):
    monkeypatch.setattr(views, "FILMS_PER_PAGE", 2)
    for title, rating in [("Eins", 5), ("Zwei", 4), ("Drei", 3)]:
        film(title, 2000, rating)
    first = page_text(client.get("/bestenliste/"))
    assert '<ol class="film-list best-list" start="1">' in first
    second = page_text(client.get("/bestenliste/", {"seite": 2}))
    assert '<ol class="film-list best-list" start="3">' in second


def test_an_unknown_choice_shows_the_error_and_no_empty_list(client, db):
    film("Eins", 2000, 5)
    html = page_text(client.get("/bestenliste/", {"jahrzehnt": "1234"}))
    assert "Bitte prüfe deine Eingaben." in visible_text(html)
    assert "Noch keine bewerteten Filme." not in visible_text(html)
    assert "<ol" not in html.split("<main", 1)[1]
