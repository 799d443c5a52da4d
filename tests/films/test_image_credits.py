"""Image credits ("Bildnachweis"): a poster's or photo's credit and its source or licence
note, under the image and in the JSON-LD."""

import pytest
from django.urls import reverse

from films.models import Film
from people.models import Credit, Person
from tests.admin_forms import errors_of, film_add_data
from tests.films.test_images import jpeg, stored_files, upload
from tests.pages import json_ld, page_text, visible_text


def add_film(client, **fields):
    data = {
        **film_add_data(client, status="published"),
        "poster": upload("plakat.jpg", jpeg()),
        **fields,
    }
    return client.post(reverse("admin:films_film_add"), data)


def test_a_posters_credit_shows_under_it_on_the_film_page_and_in_the_json_ld(editor_client):
    add_film(
        editor_client,
        poster_credit="Foto: Wild Bunch Germany",
        poster_credit_note="Pressematerial des Verleihs",
    )
    film = Film.objects.get()
    html = page_text(editor_client.get(film.get_absolute_url()))
    caption = html.split('<figure class="film__poster">', 1)[1].split("</figure>", 1)[0]
    assert "<img" in caption
    assert "Foto: Wild Bunch Germany · Pressematerial des Verleihs" in visible_text(caption)
    [movie] = [data for data in json_ld(html) if data["@type"] == "Movie"]
    assert movie["image"] == {
        "@type": "ImageObject",
        "contentUrl": "http://testserver" + film.poster.url,
        "url": "http://testserver" + film.poster.url,
        "creditText": "Foto: Wild Bunch Germany",
        "copyrightNotice": "Pressematerial des Verleihs",
    }


def test_the_credit_shows_on_the_films_card_in_lists(client, editor_client):
    add_film(editor_client, poster_credit="Foto: Wild Bunch Germany")
    html = page_text(client.get("/filme/"))
    assert '<p class="film-card__credit">Foto: Wild Bunch Germany</p>' in html


def test_without_a_credit_the_image_is_a_plain_address_and_no_caption_shows(editor_client):
    add_film(editor_client)
    film = Film.objects.get()
    html = page_text(editor_client.get(film.get_absolute_url()))
    assert "image-credit" not in html and "film-card__credit" not in html
    [movie] = [data for data in json_ld(html) if data["@type"] == "Movie"]
    assert movie["image"] == "http://testserver" + film.poster.url


def test_a_credit_without_an_image_shows_nothing(client, make_film):
    film = make_film("Ohne Plakat", status="published", poster_credit="Foto: Niemand")
    assert "Foto: Niemand" not in page_text(client.get(film.get_absolute_url()))


def test_a_photos_credit_shows_under_it_on_the_person_page_and_in_the_json_ld(client, make_film):
    person = Person.objects.create(
        name="Marion Cotillard",
        photo_credit="Foto: Georges Biard",
        photo_credit_note="CC BY-SA 3.0",
    )
    # Public only once one of her films is.
    film = make_film("Inception", 2010, status="published")
    Credit.objects.create(film=film, person=person, role="cast")
    person.photo.save("cotillard.jpg", upload("cotillard.jpg", jpeg(200, 300)))
    html = page_text(client.get(person.get_absolute_url()))
    figure = html.split('<figure class="person__figure">', 1)[1].split("</figure>", 1)[0]
    assert "Foto: Georges Biard · CC BY-SA 3.0" in visible_text(figure)
    [data] = [data for data in json_ld(html) if data["@type"] == "Person"]
    assert data["image"]["creditText"] == "Foto: Georges Biard"
    assert data["image"]["copyrightNotice"] == "CC BY-SA 3.0"


def test_the_demo_poster_says_it_is_a_placeholder(client, demo_film):
    text = visible_text(page_text(client.get(demo_film.get_absolute_url())))
    assert "Platzhalter: filmdb · Kein echtes Filmplakat" in text


@pytest.mark.parametrize(
    "credit, message",
    [
        ("Foto:\x00 Verleih", "Nullzeichen sind nicht erlaubt."),
        ("Foto:\x1b Verleih", "das unsichtbare Zeichen U+001B"),
        ("F" * 201, "höchstens 200 Zeichen"),
    ],
)
def test_a_bad_credit_is_refused_in_german_and_nothing_is_stored(editor_client, credit, message):
    response = add_film(editor_client, poster_credit=credit)
    assert message in errors_of(response)
    assert not Film.objects.exists()
    assert not [name for name in stored_files() if name.startswith("posters/")]
