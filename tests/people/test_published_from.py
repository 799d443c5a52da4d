"""The moment from which a person is public (Person.published_from) follows every write
that can change it: credits added, changed and deleted, films published, withdrawn,
rescheduled and deleted, the import, the generator and a restore from the history."""

import datetime
from io import StringIO

import pytest
from django.core import serializers
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from filmdb.pages.sitemaps import PersonSitemap
from films.models import Film
from people.models import Credit, Person
from tests import DATA
from tests.admin_forms import add_inline_row, change_form_data, errors_of
from tests.public_people import mispublished


def public(person: Person) -> bool:
    return Person.objects.published().filter(pk=person.pk).exists()


def submit(client, url: str, data: dict) -> None:
    response = client.post(url, data)
    assert response.status_code == 302, errors_of(response)


def credit_row(data: dict, person: Person) -> str:
    """The number of the inline row that shows `person`'s credit."""
    return next(
        key.split("-")[1]
        for key, value in data.items()
        if key.startswith("credits-") and key.endswith("-person") and value == str(person.pk)
    )


def test_a_credit_added_and_deleted_on_the_film_page_makes_and_unmakes_its_person_public(
    editor_client, make_film, make_person
):
    film = make_film("Gezeigt", 2020, status="published")
    person = make_person("Nina Neu")
    assert not public(person)
    url = reverse("admin:films_film_change", args=[film.pk])

    page = editor_client.get(url)
    data = change_form_data(page)
    add_inline_row(data, page, "credits", person=person.pk, role="director")
    submit(editor_client, url, data)
    assert public(person)
    person.refresh_from_db()
    assert person.published_from == Film.objects.get(pk=film.pk).published_at

    data = change_form_data(editor_client.get(url))
    data[f"credits-{credit_row(data, person)}-DELETE"] = "on"
    submit(editor_client, url, data)
    assert not Credit.objects.filter(person=person).exists()
    assert not public(person)
    assert mispublished() == []


def test_a_credit_moved_to_a_draft_film_or_to_someone_else_moves_the_moment(
    editor_client, make_film, make_person
):
    shown = make_film("Gezeigt", 2020, status="published")
    draft = make_film("Geheim", 2025)
    first, second = make_person("Anna Erste"), make_person("Bert Zweiter")
    credit = Credit.objects.create(film=shown, person=first, role="director")
    assert public(first)

    # On the person's page: the credit's film changed to a draft.
    url = reverse("admin:people_person_change", args=[first.pk])
    data = change_form_data(editor_client.get(url))
    data[f"credits-{credit_row_of_film(data, shown)}-film"] = str(draft.pk)
    submit(editor_client, url, data)
    assert not public(first)

    credit.refresh_from_db()
    credit.film = shown
    credit.save()
    assert public(first)
    credit.person = second
    credit.save()
    assert (public(first), public(second)) == (False, True)
    assert mispublished() == []


def credit_row_of_film(data: dict, film: Film) -> str:
    return next(
        key.split("-")[1]
        for key, value in data.items()
        if key.startswith("credits-") and key.endswith("-film") and value == str(film.pk)
    )


def test_a_film_published_rescheduled_withdrawn_and_deleted_moves_its_peoples_moment(
    editor_client, make_film, make_person
):
    film = make_film("Noch geheim", 2026)
    in_nine_days = timezone.now() + datetime.timedelta(days=9)
    other = make_film("Später", 2026, status="published", published_at=in_nine_days)
    person = make_person("Greta Verborgen")
    Credit.objects.create(film=film, person=person, role="director")
    Credit.objects.create(film=other, person=person, role="cast")
    assert not public(person)

    film.status = Film.Status.PUBLISHED
    film.save()
    assert public(person)

    later = timezone.now() + datetime.timedelta(days=2)
    film.published_at = later
    film.save()
    person.refresh_from_db()
    assert not public(person)
    assert person.published_from == later  # the sooner of its two scheduled films

    changelist = reverse("admin:films_film_changelist")
    response = editor_client.post(
        changelist, {"action": "set_status_draft", "_selected_action": [film.pk]}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.published_from == Film.objects.get(pk=other.pk).published_at

    other.delete()
    person.refresh_from_db()
    assert person.published_from is None
    assert mispublished() == []


def test_an_edit_of_a_films_texts_leaves_its_peoples_moment_alone(make_film, make_person):
    """Only its status and moment matter: a film with 300 people is often edited."""
    film = make_film("Gezeigt", 2020, status="published")
    Credit.objects.create(film=film, person=make_person("Nina Neu"), role="director")
    film.synopsis = "Eine neue Kurzfassung."
    with CaptureQueriesContext(connection) as queries:
        film.save()
    assert not [q["sql"] for q in queries if "UPDATE people_person" in q["sql"]]


def test_a_restore_from_the_history_brings_back_the_credit_and_the_moment(
    editor_client, make_film, make_person
):
    film = make_film("Gezeigt", 2020, status="published")
    person = make_person("Nina Neu")
    url = reverse("admin:films_film_change", args=[film.pk])
    page = editor_client.get(url)
    data = change_form_data(page)
    add_inline_row(data, page, "credits", person=person.pk, role="director")
    submit(editor_client, url, data)
    with_credit = Version.objects.get_for_object(film).first()
    data = change_form_data(editor_client.get(url))
    data[f"credits-{credit_row(data, person)}-DELETE"] = "on"
    submit(editor_client, url, data)
    assert not public(person)

    restore_url = reverse("admin:films_film_revision", args=[film.pk, with_credit.pk])
    submit(editor_client, restore_url, change_form_data(editor_client.get(restore_url)))
    assert public(person)
    assert mispublished() == []


def test_a_restored_person_gets_the_moment_of_their_films_as_they_are_now(
    editor_client, make_film, make_person
):
    """A person's version stores the moment it was saved with: a raw save writes it."""
    film = make_film("Noch geheim", 2026)
    person = make_person("Nina Neu")
    Credit.objects.create(film=film, person=person, role="director")
    url = reverse("admin:people_person_change", args=[person.pk])
    submit(editor_client, url, change_form_data(editor_client.get(url), birth_place="Köln"))
    before = Version.objects.get_for_object(person).first()
    assert before.field_dict["published_from"] is None
    film.status = Film.Status.PUBLISHED
    film.save()
    assert public(person)

    restore_url = reverse("admin:people_person_revision", args=[person.pk, before.pk])
    submit(editor_client, restore_url, change_form_data(editor_client.get(restore_url)))
    assert Credit.objects.filter(person=person).exists()
    assert public(person)
    assert mispublished() == []


def test_a_raw_save_of_a_person_gets_the_moment_of_their_films_as_they_are_now(
    make_film, make_person
):
    """A fixture, or a version restored without the person's credits, writes the moment
    it holds, however stale."""
    person = make_person("Nina Neu")
    stale = serializers.serialize("json", [person])
    Credit.objects.create(
        film=make_film("Gezeigt", 2020, status="published"), person=person, role="director"
    )
    for restored in serializers.deserialize("json", stale):
        restored.save()
    assert public(person)
    assert mispublished() == []


def test_an_import_makes_the_people_of_its_published_films_public(db):
    existing = Person.objects.create(name="Schon Da")
    Credit.objects.create(film=Film.objects.create(title="Entwurf"), person=existing, role="cast")
    call_command("import_imdb", str(DATA / "imdb-sample" / "small-mixed"), stdout=StringIO())
    credited = Person.objects.filter(credits__film__imdb_id__isnull=False).distinct()
    assert credited.count() > 100
    assert Person.objects.published().count() == credited.count()
    assert not public(existing)
    assert mispublished() == []


def test_people_of_films_imported_as_drafts_appear_when_a_film_is_published(db):
    call_command(
        "import_imdb", str(DATA / "imdb-sample" / "small-mixed"), "--draft", stdout=StringIO()
    )
    assert not Person.objects.published().exists()
    film = Film.objects.filter(credits__isnull=False).first()
    film.status = Film.Status.PUBLISHED
    film.save()
    assert set(Person.objects.published()) == set(Person.objects.filter(credits__film=film))
    assert mispublished() == []


def test_generated_people_are_public_from_their_films_moment(db):
    call_command("generate_films", films=40, people=300, seed=5, stdout=StringIO())
    uncredited = Person.objects.filter(credits__isnull=True)
    assert uncredited.exists()  # 300 people for some 400 credits: not everyone has one
    assert Person.objects.published().count() == 300 - uncredited.count()
    assert mispublished() == []


@pytest.mark.postgresql
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_the_people_sitemap_reads_public_people_from_their_index(db):
    """A page of it walks people_person_public_idx in order, reading no credit."""
    now = timezone.now()
    Person.objects.bulk_create(
        Person(
            name=f"Person {n}",
            slug=f"person-{n}",
            published_from=None if n % 10 == 0 else now,
        )
        for n in range(20_000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE people_person")
    sitemap = PersonSitemap()
    plan = sitemap.items()[10_000:12_000].explain()
    assert "Index Scan using people_person_public_idx on people_person" in plan, plan
    assert "Sort" not in plan and "people_credit" not in plan, plan
    assert sitemap.paginator.count == 18_000
