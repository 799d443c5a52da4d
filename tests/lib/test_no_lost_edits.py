"""Two editors on the same page: the second save is refused, the first is kept whole."""

import pytest
from django.apps import apps
from django.db.models.signals import pre_save
from django.test import Client
from django.urls import reverse

from filmdb.lib.locking import Versioned, _next_version, snapshot
from films.models import Film
from people.models import Credit, Person
from reviews.models import Review
from tests.admin_forms import change_form_data
from tests.conftest import make_user


@pytest.fixture
def two_editors(editor):
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(make_user("zweiter", "Redaktion", first_name="Zoe", last_name="Zweite"))
    return first, second


def messages_of(response) -> str:
    form = response.context["adminform"].form
    return " ".join(str(error) for error in form.non_field_errors())


def test_the_second_save_of_a_film_is_refused_and_names_what_changed(two_editors, demo_film):
    first, second = two_editors
    url = reverse("admin:films_film_change", args=[demo_film.pk])
    page_first, page_second = first.get(url), second.get(url)

    saved = first.post(url, change_form_data(page_first, title="Rost und Knochen"))
    assert saved.status_code == 302
    refused = second.post(url, change_form_data(page_second, synopsis="Eine neue Kurzfassung."))

    assert refused.status_code == 200
    message = messages_of(refused)
    assert "nicht gespeichert" in message
    assert "Titel: „Der Geschmack von Rost und Knochen“ → „Rost und Knochen“" in message
    film = Film.objects.get(pk=demo_film.pk)
    assert film.title == "Rost und Knochen"
    assert film.synopsis == demo_film.synopsis


def test_a_credit_added_by_the_first_editor_refuses_the_second_and_stays(
    two_editors, demo_film, make_person
):
    first, second = two_editors
    url = reverse("admin:films_film_change", args=[demo_film.pk])
    page_first, page_second = first.get(url), second.get(url)
    newcomer = make_person("Céline Neuling")
    data = change_form_data(page_first)
    row = int(data["credits-TOTAL_FORMS"])
    data.update(
        {
            "credits-TOTAL_FORMS": str(row + 1),
            f"credits-{row}-person": str(newcomer.pk),
            f"credits-{row}-role": Credit.Role.CAST,
            f"credits-{row}-character": "Nachbarin",
            f"credits-{row}-order": "99",
        }
    )
    assert first.post(url, data).status_code == 302

    refused = second.post(url, change_form_data(page_second, title="Ganz anders"))
    assert refused.status_code == 200
    assert "„Céline Neuling – Darsteller (Nachbarin)“ hinzugefügt" in messages_of(refused)
    assert demo_film.credits.filter(person=newcomer).exists()
    assert Film.objects.get(pk=demo_film.pk).title == demo_film.title


def test_a_credit_changed_on_a_person_page_refuses_an_older_film_form(two_editors, demo_film):
    first, second = two_editors
    film_url = reverse("admin:films_film_change", args=[demo_film.pk])
    film_page = second.get(film_url)

    cotillard = Person.objects.get(name="Marion Cotillard")
    person_url = reverse("admin:people_person_change", args=[cotillard.pk])
    data = change_form_data(first.get(person_url))
    row = next(
        key.split("-")[1]
        for key, value in data.items()
        if key.endswith("-character") and value == "Stéphanie"
    )
    data[f"credits-{row}-character"] = "Stéphanie Ménochet"
    assert first.post(person_url, data).status_code == 302

    refused = second.post(film_url, change_form_data(film_page, runtime="121"))
    assert refused.status_code == 200
    assert "Stéphanie Ménochet" in messages_of(refused)
    credit = Credit.objects.get(film=demo_film, person=cotillard, role=Credit.Role.CAST)
    assert credit.character == "Stéphanie Ménochet"


def test_a_credit_added_on_a_film_page_refuses_an_older_person_form(two_editors, demo_film):
    first, second = two_editors
    cotillard = Person.objects.get(name="Marion Cotillard")
    person_url = reverse("admin:people_person_change", args=[cotillard.pk])
    person_page = second.get(person_url)

    film_url = reverse("admin:films_film_change", args=[demo_film.pk])
    data = change_form_data(first.get(film_url))
    row = int(data["credits-TOTAL_FORMS"])
    data.update(
        {
            "credits-TOTAL_FORMS": str(row + 1),
            f"credits-{row}-person": str(cotillard.pk),
            f"credits-{row}-role": Credit.Role.WRITER,
            f"credits-{row}-order": "99",
        }
    )
    assert first.post(film_url, data).status_code == 302

    refused = second.post(person_url, change_form_data(person_page, birth_place="Paris"))
    assert refused.status_code == 200
    assert "nicht gespeichert" in messages_of(refused)
    cotillard.refresh_from_db()
    assert cotillard.birth_place == ""


def test_the_second_save_of_a_person_is_refused(two_editors, demo_film):
    first, second = two_editors
    audiard = Person.objects.get(name="Jacques Audiard")
    url = reverse("admin:people_person_change", args=[audiard.pk])
    page_first, page_second = first.get(url), second.get(url)
    assert first.post(url, change_form_data(page_first, birth_place="Paris")).status_code == 302
    refused = second.post(url, change_form_data(page_second, bio="Eine andere Biografie."))
    assert refused.status_code == 200
    assert "Geburtsort: „leer“ → „Paris“" in messages_of(refused)
    audiard.refresh_from_db()
    assert (audiard.birth_place, audiard.bio) == ("Paris", "")


def test_the_second_save_of_a_review_is_refused(two_editors, demo_film):
    first, second = two_editors
    review = Review.objects.get(film=demo_film)
    url = reverse("admin:reviews_review_change", args=[review.pk])
    page_first, page_second = first.get(url), second.get(url)
    assert (
        first.post(url, change_form_data(page_first, verdict="Kurz: sehenswert.")).status_code
        == 302
    )
    refused = second.post(url, change_form_data(page_second, rating="1"))
    assert refused.status_code == 200
    assert "Fazit:" in messages_of(refused) and "Kurz: sehenswert." in messages_of(refused)
    review.refresh_from_db()
    assert review.verdict == "Kurz: sehenswert."
    assert review.rating != 1


def test_a_change_form_posted_without_its_version_is_refused(editor_client, demo_film):
    url = reverse("admin:films_film_change", args=[demo_film.pk])
    data = change_form_data(editor_client.get(url), title="Ohne Version")
    del data["lock_version"]
    refused = editor_client.post(url, data)
    assert refused.status_code == 200
    assert "nicht gespeichert" in messages_of(refused)
    assert Film.objects.get(pk=demo_film.pk).title == demo_film.title


def test_one_editor_saving_twice_in_a_row_is_never_refused(editor_client, demo_film):
    url = reverse("admin:films_film_change", args=[demo_film.pk])
    for runtime in ["121", "122"]:
        response = editor_client.post(
            url, change_form_data(editor_client.get(url), runtime=runtime)
        )
        assert response.status_code == 302
    assert Film.objects.get(pk=demo_film.pk).runtime == 122


def test_every_save_is_a_new_version(demo_film):
    version = demo_film.version
    demo_film.save()
    demo_film.refresh_from_db()
    assert demo_film.version == version + 1


def test_only_versioned_models_pass_through_the_version_count():
    for model in apps.get_models():
        sync_receivers, _ = pre_save._live_receivers(model)
        assert (_next_version in sync_receivers) == issubclass(model, Versioned), model


def test_the_snapshot_of_a_film_reads_its_credits_in_one_query(
    demo_film, make_person, django_assert_num_queries
):
    for number in range(60):
        person = make_person(f"Statistin Nummer {number}")
        Credit.objects.create(film=demo_film, person=person, role=Credit.Role.CAST, order=number)
    with django_assert_num_queries(1):
        shown = snapshot(demo_film, [], ["credits"])
    assert "Statistin Nummer 59 – Darsteller" in shown["Besetzung und Crew"]
    assert len(shown["Besetzung und Crew"]) == demo_film.credits.count()
