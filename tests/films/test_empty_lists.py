"""Pages with nothing to list say so beside their lists, never as an item of one."""

import re

import pytest

from films.models import Genre
from tests.pages import page_text, visible_text


def content(html: str) -> str:
    return html.split('<main id="inhalt">', 1)[1].split("</main>", 1)[0]


def lists(html: str) -> list[str]:
    """The lists of the page's content: <ol>, <ul>, and the film cards' grid."""
    return re.findall(r'<(?:ol|ul)\b.*?</(?:ol|ul)>|<div class="film-list">.*?</div>', html, re.S)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/genres/", "Noch keine Genres."),
        ("/genre/drama/", "Hier gibt es noch keine Filme."),
        ("/jahr/1950/", "Hier gibt es noch keine Filme."),
        ("/kinostarts/2024-05-02/", "In dieser Woche startet kein Film, den wir kennen."),
        ("/kritiken/", "Noch keine Kritiken."),
        ("/filme/?q=Zzyzx", "Keine Filme gefunden."),
        ("/personen/?q=Zzyzx", "Niemanden gefunden."),
        ("/bestenliste/", "Noch keine bewerteten Filme."),
    ],
)
def test_an_empty_page_says_so_outside_any_list(client, db, url, message):
    if url != "/genres/":
        Genre.objects.create(name="Drama", slug="drama")
    response = client.get(url)
    assert response.status_code == 200
    html = content(page_text(response))
    assert message in visible_text(html)
    assert not any(message in found for found in lists(html))
    assert not re.search(r"<(ol|ul)\b[^>]*>\s*</\1>", html)
