from xml.etree import ElementTree

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.timezone import localdate

from reviews.models import Review
from tests.pages import json_ld, page_text, visible_text


def test_home_shows_newest_films_reviews_and_a_search_box(client, demo_film, make_film):
    make_film("Noch ein Entwurf", 2030)
    html = page_text(client.get("/"))
    text = visible_text(html)
    assert "Neue Filme" in text
    assert "Der Geschmack von Rost und Knochen (2012)" in text
    assert "Regie: Jacques Audiard" in text
    assert "Mit Marion Cotillard, Matthias Schoenaerts, Armand Verdure" in text
    assert "Noch ein Entwurf" not in text
    assert "Neue Kritiken" in text
    assert 'action="/filme/"' in html and 'name="q"' in html
    assert html.count("<h1>") == 1


def test_home_takes_a_constant_number_of_queries(
    client, demo_film, make_film, django_assert_max_num_queries
):
    for n in range(20):
        make_film(f"Film {n}", 2000 + n, status="published")
    with django_assert_max_num_queries(4):
        client.get("/")


def test_reviews_page_lists_newest_published_reviews_paginated(client, demo_film, editor):
    for n in range(12):
        Review.objects.create(
            film=demo_film,
            author=editor,
            headline=f"Kritik Nummer {n}",
            body="Text",
            verdict=f"Fazit {n}",
            status="published",
        )
    Review.objects.create(film=demo_film, author=editor, headline="Entwurf", body="T", verdict="F")
    first = visible_text(page_text(client.get("/kritiken/")))
    assert first.index("Kritik Nummer 11") < first.index("Kritik Nummer 10")
    assert "Entwurf" not in first
    assert "Seite 1 von 2" in first
    second = visible_text(page_text(client.get("/kritiken/", {"seite": 2})))
    assert "Der Geschmack von Rost und Knochen" in second
    for bad in ["0", "-1", "99999", "x", "1" * 50]:
        assert client.get("/kritiken/", {"seite": bad}).status_code == 200


def test_reviews_page_json_ld_has_reviews(client, demo_film):
    (data,) = json_ld(page_text(client.get("/kritiken/")))
    assert data["@graph"][0]["@type"] == "Review"
    assert data["@graph"][0]["itemReviewed"]["name"] == "Der Geschmack von Rost und Knochen"


def test_reviews_of_draft_films_stay_hidden(client, demo_film):
    for url in ["/kritiken/", "/"]:
        text = visible_text(page_text(client.get(url)))
        assert "Kritik zu Der Geschmack von Rost und Knochen (2012)" in text
    demo_film.status = "draft"
    demo_film.save()  # as an editor withdraws it
    for url in ["/kritiken/", "/"]:
        assert "Der Geschmack von Rost und Knochen" not in page_text(client.get(url))


def test_affiliate_page_explains_the_links(client, db):
    text = visible_text(page_text(client.get(reverse("affiliate-links"))))
    assert "Wenn du über diese Links einkaufst, erhalten wir eine Provision" in text
    assert "Der Preis für dich bleibt dabei unverändert." in text


def test_404_page_is_german(client, db):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    assert "Diese Seite gibt es nicht" in page_text(response)


def test_500_page_is_german(db, settings):
    settings.ROOT_URLCONF = "tests.broken_urls"
    client = Client(raise_request_exception=False)
    response = client.get("/kaputt/")
    assert response.status_code == 500
    assert "Da ist etwas schiefgegangen" in page_text(response)


def test_sitemap_lists_published_films_people_and_reviews(client, demo_film, make_film):
    make_film("Entwurf", 2030, slug="entwurf-2030")
    index = page_text(client.get("/sitemap.xml"))
    for section in ["filme", "personen", "kritiken"]:
        assert f"http://testserver/sitemap-{section}.xml" in index
    films = page_text(client.get("/sitemap-filme.xml"))
    assert "http://testserver/filme/der-geschmack-von-rost-und-knochen-2012/" in films
    assert "entwurf-2030" not in films
    assert "http://testserver/personen/jacques-audiard/" in page_text(
        client.get("/sitemap-personen.xml")
    )
    review = Review.objects.get()
    assert f"#kritik-{review.pk}" in page_text(client.get("/sitemap-kritiken.xml"))


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_each_sitemap_section_is_well_formed_xml_of_urls(client, demo_film):
    index = ElementTree.fromstring(client.get("/sitemap.xml").content)
    sections = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert len(sections) == 6
    for section in sections:
        response = client.get(section.removeprefix("http://testserver"))
        assert response["Content-Type"] == "application/xml"
        assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
        urlset = ElementTree.fromstring(response.content)
        assert urlset.tag == f"{SITEMAP}urlset"
        urls = urlset.findall(f"{SITEMAP}url")
        assert urls, section
        for url in urls:
            assert url.find(f"{SITEMAP}loc").text.startswith("http://testserver/")
    films = ElementTree.fromstring(client.get("/sitemap-filme.xml").content)
    [film] = films.findall(f"{SITEMAP}url")
    assert film.find(f"{SITEMAP}lastmod").text == localdate(demo_film.updated_at).isoformat()
    assert film.find(f"{SITEMAP}changefreq").text == "weekly"


def test_a_media_file_name_too_long_for_the_file_system_is_not_found(client, db, settings):
    (settings.MEDIA_ROOT / "posters").mkdir(parents=True)
    assert client.get("/media/posters/" + "a" * 300).status_code == 404
    assert client.get("/media/posters/" + "ä" * 200 + "/").status_code == 404


def test_robots_txt_names_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in page_text(response)
    assert "Disallow: /admin/" in page_text(response)


@pytest.mark.parametrize(
    "url", ["/", "/kritiken/", "/affiliate-links/", "/filme/", "/personen/jacques-audiard/"]
)
def test_every_page_has_title_description_canonical_and_one_h1(client, demo_film, url):
    html = page_text(client.get(url))
    assert "<title>" in html
    assert '<meta name="description" content="' in html
    assert '<link rel="canonical" href="http://testserver' in html
    assert '<meta property="og:title"' in html
    assert html.count("<h1>") == 1
    assert '<html lang="de">' in html


def test_uploaded_poster_is_served_from_the_media_folder_in_use(client, demo_film, settings):
    answer = client.get(demo_film.poster.url)
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == demo_film.poster.read()
    assert str(settings.MEDIA_ROOT) in demo_film.poster.path
