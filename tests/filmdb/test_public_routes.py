"""What every public address answers: a NUL in it is not found, and HEAD answers as GET
does, without the body."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from filmdb.demo import FILM_SLUG

# A NUL in each public segment of free text or of a slug, alone and after a real value.
ADDRESSES_WITH_A_NUL = [
    "/genre/%00/",
    "/genre/drama%00/",
    "/filme/%00/",
    f"/filme/{FILM_SLUG}%00/",
    "/personen/%00/",
    "/personen/marion-cotillard%00/",
    "/kinostarts/%00/",
    "/kinostarts/2013-01-10%00/",
    "/jahr/2012%00/",
    "/weiter/%00/",
    "/weiter/1%00/",
    "/sitemap-%00.xml",
    "/sitemap-filme%00.xml",
]


@pytest.mark.parametrize("url", ADDRESSES_WITH_A_NUL)
def test_a_nul_in_an_address_is_not_found_without_asking_the_database(client, demo_film, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()
    assert not queries.captured_queries, "a NUL went to the database"


PUBLIC_PAGES = [
    "/",
    "/filme/",
    "/filme/?darsteller=cotillard",
    f"/filme/{FILM_SLUG}/",
    "/personen/",
    "/personen/?q=cotillard",
    "/personen/marion-cotillard/",
    "/personen/autocomplete/?q=cotillard",
    "/kritiken/",
    "/bestenliste/",
    "/genres/",
    "/genre/drama/",
    "/jahr/2012/",
    "/kinostarts/",
    "/kinostarts/2013-01-10/",
    "/affiliate-links/",
    "/impressum/",
    "/datenschutz/",
    "/feeds/kritiken/",
    "/feeds/kinostarts/",
    "/sitemap.xml",
    "/sitemap-filme.xml",
    "/robots.txt",
    "/healthz",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_head_answers_like_get_without_a_body(client, demo_film, url):
    head = client.head(url)  # first, so that no cached page answers it
    get = client.get(url)
    assert get.status_code == 200 and get.content
    assert head.status_code == 200
    assert head.content == b""
    assert head["Content-Type"] == get["Content-Type"]
