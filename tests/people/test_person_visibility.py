"""A person is public once one of their films is visible, and not before."""

import datetime
import time

import pytest
from django.db import connection
from django.utils import timezone

from films.models import Film
from people.models import Credit, Person, PersonRedirect
from people.visibility import publish_people
from tests.pages import listed_people, page_text, visible_text

DRAFT_BANNER = "Entwurf – diese Seite ist nur für die Redaktion sichtbar."


def suggested(client, **params) -> list[str]:
    response = client.get("/personen/autocomplete/", params)
    assert response.status_code == 200
    return [person["name"] for person in response.json()["results"]]


def everywhere(client, person: Person) -> dict[str, bool]:
    """Where a visitor finds `person`, a director."""
    html = page_text(client.get("/personen/", {"q": person.name}))
    found = listed_people(html) if 'class="person-list"' in html else []
    sitemap = page_text(client.get("/sitemap-personen.xml"))
    return {
        "person page": client.get(person.get_absolute_url()).status_code == 200,
        "people search": person.name in found,
        "suggestions": person.name in suggested(client, q=person.name),
        "suggestions for directors": person.name in suggested(client, q=person.name, rolle="regie"),
        "sitemap": f"http://testserver{person.get_absolute_url()}" in sitemap,
    }


def director_of(film: Film, name: str) -> Person:
    person = Person.objects.create(name=name)
    Credit.objects.create(film=film, person=person, role="director")
    return person


def test_a_person_known_only_from_a_draft_film_appears_once_it_is_published(client, make_film):
    film = make_film("Noch geheim", 2026)
    person = director_of(film, "Greta Verborgen")
    before = everywhere(client, person)  # and every page now in the page cache
    assert before == dict.fromkeys(before, False)

    film.status = Film.Status.PUBLISHED
    film.save()
    after = everywhere(client, person)
    assert after == dict.fromkeys(after, True)
    text = visible_text(page_text(client.get(person.get_absolute_url())))
    assert "Regie Noch geheim (2026)" in text


def test_a_person_known_only_from_a_scheduled_film_appears_when_its_moment_passes(
    client, make_film
):
    # Far enough ahead for the film, its credit and the first look on a busy machine.
    moment = timezone.now() + datetime.timedelta(seconds=3)
    film = make_film("Bald im Kino", 2026, status="published", published_at=moment)
    person = director_of(film, "Bruno Bald")
    before = everywhere(client, person)
    assert before == dict.fromkeys(before, False)

    time.sleep(max(0.0, (moment - timezone.now()).total_seconds()) + 0.1)
    after = everywhere(client, person)
    assert after == dict.fromkeys(after, True)


def test_staff_see_a_person_of_draft_films_with_the_draft_banner(editor_client, make_film):
    film = make_film("Noch geheim", 2026)
    person = director_of(film, "Greta Verborgen")
    text = visible_text(page_text(editor_client.get(person.get_absolute_url())))
    assert DRAFT_BANNER in text
    assert "Regie Noch geheim (2026)" in text

    film.status = Film.Status.PUBLISHED
    film.save()
    text = visible_text(page_text(editor_client.get(person.get_absolute_url())))
    assert "Regie Noch geheim (2026)" in text
    assert "Entwurf" not in text


def test_staff_see_a_person_of_a_scheduled_film_with_its_moment(editor_client, make_film):
    moment = timezone.localtime(timezone.now() + datetime.timedelta(days=2))
    moment = moment.replace(hour=10, minute=30, second=0, microsecond=0)
    later = make_film("Später", 2026, status="published", published_at=moment.replace(hour=20))
    person = director_of(later, "Bruno Bald")
    sooner = make_film("Bald im Kino", 2026, status="published", published_at=moment)
    Credit.objects.create(film=sooner, person=person, role="director")
    text = visible_text(page_text(editor_client.get(person.get_absolute_url())))
    # The first of their films to appear makes them public.
    assert f"Geplant – erscheint am {moment.day}. " in text
    assert "10:30 Uhr; bis dahin ist diese Seite nur für die Redaktion sichtbar." in text


def test_a_person_without_any_film_is_public_once_credited_on_a_published_film(
    client, editor, make_person, make_film
):
    person = make_person("Nina Neu", bio="Schauspielerin aus Köln.")
    before = everywhere(client, person)
    assert before == dict.fromkeys(before, False)
    client.force_login(editor)
    text = visible_text(page_text(client.get(person.get_absolute_url())))
    assert DRAFT_BANNER in text
    assert "Schauspielerin aus Köln." in text

    client.logout()
    debut = make_film("Ihr Debüt", 2024, status="published")
    Credit.objects.create(film=debut, person=person, role="director")
    after = everywhere(client, person)
    assert after == dict.fromkeys(after, True)


def test_an_old_slug_of_an_unpublished_person_leads_nowhere_until_published(
    client, editor, make_film
):
    film = make_film("Noch geheim", 2026)
    person = director_of(film, "Greta Verborgen")
    PersonRedirect.objects.create(person=person, old_slug="greta-alt")
    assert client.get("/personen/greta-alt/").status_code == 404
    client.force_login(editor)
    moved = client.get("/personen/greta-alt/")
    assert (moved.status_code, moved["Location"]) == (301, person.get_absolute_url())

    client.logout()
    film.status = Film.Status.PUBLISHED
    film.save()
    moved = client.get("/personen/greta-alt/")
    assert (moved.status_code, moved["Location"]) == (301, person.get_absolute_url())


def test_suggestions_name_the_published_film_not_a_newer_draft(client, make_film):
    shown = make_film("Gezeigt", 2020, status="published")
    person = director_of(shown, "Greta Sichtbar")
    Credit.objects.create(film=make_film("Geheim", 2025), person=person, role="cast")
    results = client.get("/personen/autocomplete/", {"q": "greta sicht"}).json()["results"]
    assert [(r["name"], r["known_for"]) for r in results] == [("Greta Sichtbar", "Gezeigt (2020)")]
    # Cast only in a draft: not yet among the actors.
    assert suggested(client, q="greta sicht", rolle="darsteller") == []
    assert suggested(client, q="greta sicht", rolle="regie") == ["Greta Sichtbar"]


@pytest.mark.postgresql
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_the_role_check_reads_each_persons_credits_by_index(db):
    """With enough rows for real statistics, the suggestions for a role check each
    person they find through the index on credits' person, instead of reading the
    credits of every visible film. (Whether a person is public at all is their column,
    Person.published_from: tests/people/test_published_from.py.)"""
    people = Person.objects.bulk_create(
        Person(name=f"Person {n}", slug=f"person-{n}", search_text=f"person {n}")
        for n in range(10_000)
    )
    films = Film.objects.bulk_create(
        Film(
            title=f"Film {n}",
            slug=f"film-{n}",
            year=2000,
            status="published",
            published_at=timezone.now(),
        )
        for n in range(2_500)
    )
    Credit.objects.bulk_create(
        Credit(film=films[n // 8], person=people[n % 10_000], role="cast") for n in range(20_000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE people_person, people_credit, films_film")
    publish_people(person.pk for person in people)  # bulk writes send no signals
    for queryset in [
        Person.objects.with_role("cast").filter(slug="person-1234"),
        Person.objects.search("person 1234").with_role("cast")[:10],
    ]:
        plan = queryset.explain()
        assert "people_credit_person_role_idx" in plan, plan
        assert "Index Cond: ((person_id = people_person.id) AND" in plan, plan
        assert "Seq Scan on people_credit" not in plan, plan


@pytest.mark.postgresql
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_a_typo_is_answered_with_a_name_only_once_the_person_is_published(client, make_film):
    film = make_film("Noch geheim", 2026)
    director_of(film, "Greta Verborgen")
    typo = {"regie": "Verborgn"}
    assert "Meintest du" not in page_text(client.get("/filme/", typo))

    film.status = Film.Status.PUBLISHED
    film.save()
    assert "Meintest du: Greta Verborgen?" in visible_text(page_text(client.get("/filme/", typo)))
