"""Every editor's change is kept with who and when; an earlier version can be restored."""

from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from films.models import Film, Offer
from people.models import Credit, Person
from reviews.models import Review
from tests.admin_forms import change_form_data, errors_of
from tests.conftest import make_user
from tests.pages import visible_text


def save_through_admin(client, url: str, **changes):
    response = client.post(url, change_form_data(client.get(url), **changes))
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def test_a_film_change_is_recorded_with_editor_time_and_what(editor_client, editor, demo_film):
    url = reverse("admin:films_film_change", args=[demo_film.pk])
    save_through_admin(editor_client, url, title="Rost und Knochen")

    newest = Version.objects.get_for_object(demo_film).first()
    assert newest.revision.user == editor
    assert "Titel" in newest.revision.get_comment()
    assert newest.field_dict["title"] == "Rost und Knochen"
    history = editor_client.get(reverse("admin:films_film_history", args=[demo_film.pk]))
    text = visible_text(history.content.decode())
    assert "redakteurin" in text or "Rita Redakteurin" in text
    assert "Demodaten angelegt" in text


def test_people_credits_reviews_and_offers_are_recorded(editor_client, demo_film):
    audiard = Person.objects.get(name="Jacques Audiard")
    save_through_admin(
        editor_client,
        reverse("admin:people_person_change", args=[audiard.pk]),
        birth_place="Paris",
    )
    review = Review.objects.get(film=demo_film)
    save_through_admin(
        editor_client,
        reverse("admin:reviews_review_change", args=[review.pk]),
        verdict="Kurz: sehenswert.",
    )
    for instance in [
        audiard,
        review,
        Credit.objects.filter(person=audiard).first(),
        Offer.objects.filter(film=demo_film).first(),
    ]:
        assert Version.objects.get_for_object(instance).exists(), instance


def test_an_editor_restores_a_film_after_a_bad_edit(editor_client, demo_film):
    """The bad edit renames the film and removes Marion Cotillard; the restore undoes both."""
    url = reverse("admin:films_film_change", args=[demo_film.pk])
    data = change_form_data(editor_client.get(url), title="Kaputt")
    cotillard_row = next(
        key.split("-")[1]
        for key, value in data.items()
        if key.startswith("credits-") and key.endswith("-character") and value == "Stéphanie"
    )
    data[f"credits-{cotillard_row}-DELETE"] = "on"
    assert editor_client.post(url, data).status_code == 302
    assert not demo_film.credits.filter(person__name="Marion Cotillard").exists()

    before = Version.objects.get_for_object(demo_film).last()  # the demo data's version
    restore_url = reverse("admin:films_film_revision", args=[demo_film.pk, before.pk])
    restore_page = editor_client.get(restore_url)
    assert restore_page.status_code == 200
    response = editor_client.post(restore_url, change_form_data(restore_page))
    assert response.status_code == 302, errors_of(response)

    film = Film.objects.get(pk=demo_film.pk)
    assert film.title == "Der Geschmack von Rost und Knochen"
    assert film.credits.filter(person__name="Marion Cotillard", character="Stéphanie").exists()
    page = editor_client.get(film.get_absolute_url())
    assert "Marion Cotillard" in page.content.decode()
    assert "Kaputt" not in page.content.decode()


def test_a_form_opened_before_a_restore_merges_with_it(editor_client, demo_film):
    url = reverse("admin:films_film_change", args=[demo_film.pk])
    save_through_admin(editor_client, url, title="Kaputt")
    other = Client()
    other.force_login(make_user("zweiter", "Redaktion"))
    opened = other.get(url)

    before = Version.objects.get_for_object(demo_film).last()  # the demo data's version
    restore_url = reverse("admin:films_film_revision", args=[demo_film.pk, before.pk])
    restored = editor_client.post(restore_url, change_form_data(editor_client.get(restore_url)))
    assert restored.status_code == 302, errors_of(restored)
    merged = other.post(url, change_form_data(opened, synopsis="Eine neue Kurzfassung."))

    assert merged.status_code == 302
    told = " ".join(str(message) for message in get_messages(merged.wsgi_request))
    assert "Titel: „Kaputt“ → „Der Geschmack von Rost und Knochen“" in told
    film = Film.objects.get(pk=demo_film.pk)
    assert (film.title, film.synopsis) == (
        "Der Geschmack von Rost und Knochen",
        "Eine neue Kurzfassung.",
    )


def test_a_restore_keeps_the_films_ratings_as_its_reviews_are_now(editor_client, demo_film):
    """A version stores the ratings counted when it was saved; the reviews are what count."""
    before = Version.objects.get_for_object(demo_film).last()  # the demo data's version
    Review.objects.create(
        film=demo_film,
        author=make_user("kritikerin"),
        body="Text.",
        verdict="Fazit.",
        rating=2,
        status="published",
    )
    ratings = Film.objects.filter(pk=demo_film.pk).values_list("rating_average", "rating_count")
    now = ratings.get()
    assert now == (3.0, 2)  # the demo review's four stars and these two
    assert before.field_dict["rating_count"] != now[1]
    restore_url = reverse("admin:films_film_revision", args=[demo_film.pk, before.pk])
    response = editor_client.post(restore_url, change_form_data(editor_client.get(restore_url)))
    assert response.status_code == 302, errors_of(response)
    assert ratings.get() == now
    best = visible_text(editor_client.get("/bestenliste/", {"genre": "drama"}).content.decode())
    assert "Der Geschmack von Rost und Knochen" in best
