"""Deleting is never a surprise: people with credits stay, a film's deletion lists its parts."""

from django.urls import reverse

from films.models import Film, Offer
from people.models import Credit, Person
from reviews.models import Review
from tests.pages import visible_text


def test_deleting_a_person_with_credits_is_refused_naming_the_films(editor_client, demo_film):
    audiard = Person.objects.get(name="Jacques Audiard")
    url = reverse("admin:people_person_delete", args=[audiard.pk])

    page = visible_text(editor_client.get(url).content.decode())
    assert "geschützten" in page
    assert "Jacques Audiard: „Der Geschmack von Rost und Knochen (2012)“ – Regisseur" in page
    assert "Jacques Audiard: „Der Geschmack von Rost und Knochen (2012)“ – Drehbuch" in page

    response = editor_client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert Person.objects.filter(pk=audiard.pk).exists()
    assert Credit.objects.filter(person=audiard).count() == 2


def test_deleting_people_in_bulk_is_refused_for_those_with_credits(editor_client, demo_film):
    audiard = Person.objects.get(name="Jacques Audiard")
    response = editor_client.post(
        reverse("admin:people_person_changelist"),
        {"action": "delete_selected", "_selected_action": [audiard.pk], "post": "yes"},
    )
    assert "Der Geschmack von Rost und Knochen" in visible_text(response.content.decode())
    assert Person.objects.filter(pk=audiard.pk).exists()


def test_a_person_without_credits_can_be_deleted(editor_client, make_person):
    nobody = make_person("Niemand Ohnefilm")
    url = reverse("admin:people_person_delete", args=[nobody.pk])
    assert editor_client.post(url, {"post": "yes"}).status_code == 302
    assert not Person.objects.filter(pk=nobody.pk).exists()


def test_deleting_a_film_first_shows_its_credits_reviews_and_offers(editor_client, demo_film):
    url = reverse("admin:films_film_delete", args=[demo_film.pk])
    credits = demo_film.credits.count()
    page = visible_text(editor_client.get(url).content.decode())
    assert f"Besetzung und Crew: {credits}" in page
    assert "Kritiken: 1" in page
    assert f"Angebote (Affiliate-Links): {Offer.objects.filter(film=demo_film).count()}" in page
    assert "Marion Cotillard" in page
    assert Film.objects.filter(pk=demo_film.pk).exists()  # nothing happened yet

    assert editor_client.post(url, {"post": "yes"}).status_code == 302
    assert not Film.objects.filter(pk=demo_film.pk).exists()
    assert not Credit.objects.filter(film_id=demo_film.pk).exists()
    assert not Review.objects.filter(film_id=demo_film.pk).exists()
    assert Person.objects.filter(name="Marion Cotillard").exists()  # people stay
