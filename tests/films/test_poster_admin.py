"""A new poster or photo in the admin: a narrow poster is pointed out after the save, and
the credit of the image it replaces is cleared unless the editor edits it with it."""

from django.contrib.messages import get_messages
from django.urls import reverse

from films.models import Film
from people.models import Person
from tests.admin_forms import change_form_data, errors_of, film_add_data
from tests.films.test_images import jpeg, upload

NARROW = (
    "Das Plakat ist nur 150 px breit; für eine scharfe Darstellung lade eines mit "
    "mindestens 200 px Breite hoch."
)


def shown_messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def add_film_with_poster(client, **typed) -> Film:
    data = {**film_add_data(client, **typed), "poster": upload("plakat.jpg", jpeg(400, 600))}
    response = client.post(reverse("admin:films_film_add"), data)
    assert response.status_code == 302, errors_of(response)
    return Film.objects.get(title="Ein Prophet")


def save_change_page(client, obj, admin_name: str, **typed):
    page = client.get(reverse(f"admin:{admin_name}_change", args=[obj.pk]))
    response = client.post(page.wsgi_request.path, change_form_data(page, **typed))
    assert response.status_code == 302, errors_of(response)
    obj.refresh_from_db()
    return response


def test_a_poster_narrower_than_200_px_is_stored_with_a_warning(editor_client):
    data = {**film_add_data(editor_client), "poster": upload("klein.jpg", jpeg(150, 225))}
    response = editor_client.post(reverse("admin:films_film_add"), data)
    assert response.status_code == 302, errors_of(response)
    film = Film.objects.get(title="Ein Prophet")
    assert film.poster and film.poster_width == 150
    page = editor_client.get(response["Location"])
    assert NARROW in page.content.decode()


def test_a_poster_of_200_px_and_more_gets_no_warning(editor_client):
    data = {**film_add_data(editor_client), "poster": upload("gross.jpg", jpeg(200, 300))}
    response = editor_client.post(reverse("admin:films_film_add"), data)
    assert response.status_code == 302, errors_of(response)
    assert not any("px breit" in message for message in shown_messages(response))


def test_replacing_a_poster_clears_the_credit_of_the_old_one(editor_client):
    film = add_film_with_poster(
        editor_client, poster_credit="Foto: Wild Bunch", poster_credit_note="Pressematerial"
    )
    old_poster = film.poster.name
    response = save_change_page(
        editor_client, film, "films_film", poster=upload("neu.jpg", jpeg(500, 750))
    )
    assert film.poster.name != old_poster and film.poster_width == 500
    assert (film.poster_credit, film.poster_credit_note) == ("", "")
    assert (
        "Das Plakat ist neu: „Bildnachweis“ und „Quelle oder Lizenz“ des alten sind geleert. "
        "Trag die Angaben des neuen Plakats ein."
    ) in shown_messages(response)


def test_replacing_a_poster_while_editing_its_credit_keeps_the_edited_credit(editor_client):
    film = add_film_with_poster(
        editor_client, poster_credit="Foto: Wild Bunch", poster_credit_note="Pressematerial"
    )
    save_change_page(
        editor_client,
        film,
        "films_film",
        poster=upload("neu.jpg", jpeg(500, 750)),
        poster_credit="Foto: Prokino",
    )
    assert film.poster_credit == "Foto: Prokino"
    assert film.poster_credit_note == ""  # left as it was: it named the old poster


def test_saving_without_a_new_poster_keeps_its_credit(editor_client):
    film = add_film_with_poster(editor_client, poster_credit="Foto: Wild Bunch")
    response = save_change_page(editor_client, film, "films_film", runtime="156")
    assert (film.runtime, film.poster_credit) == (156, "Foto: Wild Bunch")
    assert not any("geleert" in message for message in shown_messages(response))


def test_replacing_a_persons_photo_clears_the_credit_of_the_old_one(editor_client):
    person = Person.objects.create(
        name="Marion Cotillard", photo_credit="Foto: Georges Biard", photo_credit_note="CC BY-SA"
    )
    person.photo.save("cotillard.jpg", upload("cotillard.jpg", jpeg(200, 300)))
    save_change_page(editor_client, person, "people_person", photo=upload("neu.jpg", jpeg()))
    assert person.photo.name != "" and (person.photo_credit, person.photo_credit_note) == ("", "")


def test_replacing_a_persons_photo_while_editing_its_credit_keeps_it(editor_client):
    person = Person.objects.create(name="Marion Cotillard", photo_credit="Foto: Georges Biard")
    person.photo.save("cotillard.jpg", upload("cotillard.jpg", jpeg(200, 300)))
    save_change_page(
        editor_client,
        person,
        "people_person",
        photo=upload("neu.jpg", jpeg()),
        photo_credit="Foto: Siebbi",
    )
    assert person.photo_credit == "Foto: Siebbi"
