"""Two editors on the same page: what each changed lands, and neither loses anything."""

import pytest
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.db.models.signals import pre_save
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from filmdb.lib.locking import Versioned, _next_version
from filmdb.lib.merging import snapshot
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


def errors_above_the_form(response) -> str:
    form = response.context["adminform"].form
    return " ".join(str(error) for error in form.non_field_errors())


def messages_after(response) -> str:
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def saved_at(instance) -> str:
    """ "um 10:42 Uhr": when the newest revision of `instance` was saved, Berlin time."""
    newest = Version.objects.get_for_object(instance).select_related("revision").first()
    return f"um {timezone.localtime(newest.revision.date_created):%H:%M} Uhr"


def row_of(data: dict, character: str) -> str:
    """The index of the credit row whose character is `character` in a change form's data."""
    return next(
        key.split("-")[1]
        for key, value in data.items()
        if key.startswith("credits-") and key.endswith("-character") and value == character
    )


def test_edits_to_different_fields_of_one_film_in_two_tabs_both_land(two_editors, demo_film):
    first, second = two_editors
    url = reverse("admin:films_film_change", args=[demo_film.pk])
    page_first, page_second = first.get(url), second.get(url)

    saved = first.post(url, change_form_data(page_first, title="Rost und Knochen"))
    assert saved.status_code == 302
    merged = second.post(url, change_form_data(page_second, synopsis="Eine neue Kurzfassung."))

    assert merged.status_code == 302
    film = Film.objects.get(pk=demo_film.pk)
    assert (film.title, film.synopsis) == ("Rost und Knochen", "Eine neue Kurzfassung.")
    message = messages_after(merged)
    assert f"von redakteurin {saved_at(film)} gespeichert" in message
    assert "zusammengeführt" in message
    assert "Titel: „Der Geschmack von Rost und Knochen“ → „Rost und Knochen“" in message


def test_a_credit_added_by_the_first_editor_stays_when_the_second_renames_the_film(
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

    merged = second.post(url, change_form_data(page_second, title="Ganz anders"))
    assert merged.status_code == 302
    assert "„Céline Neuling – Darsteller (Nachbarin)“ hinzugefügt" in messages_after(merged)
    assert demo_film.credits.filter(person=newcomer, character="Nachbarin").exists()
    assert Film.objects.get(pk=demo_film.pk).title == "Ganz anders"


def test_a_credit_changed_on_a_person_page_merges_with_an_older_film_form(two_editors, demo_film):
    first, second = two_editors
    film_url = reverse("admin:films_film_change", args=[demo_film.pk])
    film_page = second.get(film_url)

    cotillard = Person.objects.get(name="Marion Cotillard")
    person_url = reverse("admin:people_person_change", args=[cotillard.pk])
    data = change_form_data(first.get(person_url))
    data[f"credits-{row_of(data, 'Stéphanie')}-character"] = "Stéphanie Ménochet"
    assert first.post(person_url, data).status_code == 302
    # The credit belongs to both pages: its save is a new version of the film too.
    assert Film.objects.get(pk=demo_film.pk).version > demo_film.version

    merged = second.post(film_url, change_form_data(film_page, runtime="121"))
    assert merged.status_code == 302
    message = messages_after(merged)
    assert (
        "Besetzung und Crew: „Marion Cotillard – Darsteller (Stéphanie)“ → "
        "„Marion Cotillard – Darsteller (Stéphanie Ménochet)“"
    ) in message
    assert "hinzugefügt" not in message and "entfernt" not in message
    assert f"von redakteurin {saved_at(cotillard)}" in message
    credit = Credit.objects.get(film=demo_film, person=cotillard, role=Credit.Role.CAST)
    assert credit.character == "Stéphanie Ménochet"
    assert Film.objects.get(pk=demo_film.pk).runtime == 121


def test_a_credit_added_on_a_film_page_merges_with_an_older_person_form(two_editors, demo_film):
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

    merged = second.post(person_url, change_form_data(person_page, birth_place="Paris"))
    assert merged.status_code == 302
    assert "„Marion Cotillard – Drehbuch“ hinzugefügt" in messages_after(merged)
    cotillard.refresh_from_db()
    assert cotillard.birth_place == "Paris"
    assert cotillard.credits.filter(film=demo_film, role=Credit.Role.WRITER).exists()


def test_two_edits_of_a_person_both_land(two_editors, demo_film):
    first, second = two_editors
    audiard = Person.objects.get(name="Jacques Audiard")
    url = reverse("admin:people_person_change", args=[audiard.pk])
    page_first, page_second = first.get(url), second.get(url)
    assert first.post(url, change_form_data(page_first, birth_place="Paris")).status_code == 302
    merged = second.post(url, change_form_data(page_second, bio="Eine andere Biografie."))
    assert merged.status_code == 302
    assert "Geburtsort: „leer“ → „Paris“" in messages_after(merged)
    audiard.refresh_from_db()
    assert (audiard.birth_place, audiard.bio) == ("Paris", "Eine andere Biografie.")


def test_two_edits_of_a_review_both_land(two_editors, demo_film):
    first, second = two_editors
    review = Review.objects.get(film=demo_film)
    url = reverse("admin:reviews_review_change", args=[review.pk])
    page_first, page_second = first.get(url), second.get(url)
    verdict = change_form_data(page_first, verdict="Kurz: sehenswert.")
    assert first.post(url, verdict).status_code == 302
    merged = second.post(url, change_form_data(page_second, rating="1"))
    assert merged.status_code == 302
    assert "Fazit:" in messages_after(merged)
    review.refresh_from_db()
    assert (review.verdict, review.rating) == ("Kurz: sehenswert.", 1)


def test_a_merge_keeps_what_the_form_does_not_show_as_stored(two_editors, demo_film):
    """The page's row was read before the other save: a merge writes back none of it."""
    first, second = two_editors
    url = reverse("admin:films_film_change", args=[demo_film.pk])
    page_second = second.get(url)
    Film.objects.filter(pk=demo_film.pk).update(imdb_snapshot='{"title": "Neu"}')
    assert first.post(url, change_form_data(first.get(url), runtime="121")).status_code == 302

    merged = second.post(url, change_form_data(page_second, distributor="Neuer Verleih"))
    assert merged.status_code == 302
    film = Film.objects.get(pk=demo_film.pk)
    assert (film.runtime, film.distributor) == (121, "Neuer Verleih")
    assert film.imdb_snapshot == '{"title": "Neu"}'


@pytest.mark.parametrize("missing", ["lock_version", "lock_snapshot"])
def test_a_stale_form_posted_without_its_version_or_snapshot_is_refused(
    two_editors, demo_film, missing
):
    first, second = two_editors
    url = reverse("admin:films_film_change", args=[demo_film.pk])
    page_second = second.get(url)
    assert first.post(url, change_form_data(first.get(url), runtime="121")).status_code == 302
    data = change_form_data(page_second, title="Ohne Version")
    del data[missing]

    refused = second.post(url, data)
    assert refused.status_code == 200
    assert "nicht gespeichert" in errors_above_the_form(refused)
    assert "Bitte laden Sie die Seite neu" in errors_above_the_form(refused)
    assert Film.objects.get(pk=demo_film.pk).title == demo_film.title


def test_a_forged_snapshot_is_refused_rather_than_merged(two_editors, demo_film):
    first, second = two_editors
    url = reverse("admin:films_film_change", args=[demo_film.pk])
    page_second = second.get(url)
    assert first.post(url, change_form_data(first.get(url), title="Erster")).status_code == 302
    data = change_form_data(page_second, synopsis="Neu.")
    data["lock_snapshot"] = data["lock_snapshot"].replace(":", ":x", 1)

    refused = second.post(url, data)
    assert refused.status_code == 200
    assert "nicht gespeichert" in errors_above_the_form(refused)
    film = Film.objects.get(pk=demo_film.pk)
    assert (film.title, film.synopsis) == ("Erster", demo_film.synopsis)


def test_one_editor_saving_twice_in_a_row_is_never_refused(editor_client, demo_film):
    url = reverse("admin:films_film_change", args=[demo_film.pk])
    for runtime in ["121", "122"]:
        response = editor_client.post(
            url, change_form_data(editor_client.get(url), runtime=runtime)
        )
        assert response.status_code == 302
    assert Film.objects.get(pk=demo_film.pk).runtime == 122


def test_the_history_names_only_what_the_editor_changed(two_editors, demo_film):
    first, second = two_editors
    url = reverse("admin:films_film_change", args=[demo_film.pk])
    page_first, page_second = first.get(url), second.get(url)
    assert first.post(url, change_form_data(page_first, title="Neu")).status_code == 302
    merged = second.post(url, change_form_data(page_second, synopsis="Neu."))
    assert merged.status_code == 302

    entries = LogEntry.objects.filter(object_id=str(demo_film.pk)).order_by("action_time")
    assert [entry.get_change_message() for entry in entries] == [
        "Titel geändert.",
        "Kurzinhalt geändert.",
    ]
    comments = [v.revision.get_comment() for v in Version.objects.get_for_object(demo_film)]
    assert comments[:2] == ["Kurzinhalt geändert.", "Titel geändert."]
    assert not any("lock" in comment.lower() for comment in comments)


def test_the_locking_addresses_editors_as_sie(two_editors, demo_film):
    first, second = two_editors
    url = reverse("admin:films_film_change", args=[demo_film.pk])
    page_second = second.get(url)
    assert first.post(url, change_form_data(first.get(url), title="Erster")).status_code == 302
    data = change_form_data(page_second)
    del data["lock_snapshot"]
    text = errors_above_the_form(second.post(url, data))
    assert "nachdem Sie die Seite geöffnet hatten" in text
    assert not {"du", "deine", "dein", "trag", "öffne"} & set(text.lower().split())


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
    rows = shown["rows"]["credits"]
    assert rows[str(demo_film.credits.get(person=person).pk)] == {
        "text": "Statistin Nummer 59 – Darsteller",
        "values": {
            "film": demo_film.pk,
            "person": person.pk,
            "role": "cast",
            "character": None,
            "voices": None,
            "order": 59,
        },
    }
    assert len(rows) == demo_film.credits.count()
