"""The editors' overview on the admin's start page: what appears in the next two weeks,
and the coming Kinostarts that still lack a review, a poster or a synopsis."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from filmdb.admin_overview import SHOWN, editors_overview
from filmdb.pages.kinostarts import WEEK, current_week
from films.models import Film
from reviews.models import Review
from tests.conftest import make_user
from tests.pages import visible_text

INDEX = "/admin/"


def berlin(days: int, hour: int = 10) -> datetime.datetime:
    """`hour` o'clock in Berlin, `days` from today."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def shown(moment: datetime.datetime) -> str:
    return f"{timezone.localtime(moment):%d.%m.%Y, %H:%M} Uhr"


def rows(response, section: str) -> list[str]:
    """The text of each row of the overview's section ("geplant" or "kinostarts")."""
    html = response.content.decode()
    found = re.search(
        rf'<div class="module editors-overview" id="{section}">(.*?)</div>', html, re.S
    )
    if found is None:
        return []
    return [
        visible_text(row).strip() for row in re.findall(r"<tr>(.*?)</tr>", found.group(1), re.S)
    ]


def published_film(title: str, moment: datetime.datetime, **fields) -> Film:
    return Film.objects.create(
        title=title, year=2026, status=Film.Status.PUBLISHED, published_at=moment, **fields
    )


def review_of(film: Film, author, moment: datetime.datetime, **fields) -> Review:
    fields = {"status": Review.Status.PUBLISHED, **fields}
    return Review.objects.create(
        film=film, author=author, body="Text.", verdict="Fazit.", published_at=moment, **fields
    )


def complete_kinostart(title: str, release_date: datetime.date, critic) -> Film:
    film = published_film(
        title,
        berlin(-30),
        release_date=release_date,
        synopsis="Ein Anreißer.",
        poster="posters/plakat.jpg",
        poster_width=600,
        poster_height=900,
    )
    review_of(film, critic, berlin(-1))
    return film


def test_a_film_scheduled_in_three_days_appears_with_its_moment_and_a_link(editor_client):
    moment = berlin(3, hour=10)
    film = published_film("Bald im Programm", moment)

    response = editor_client.get(INDEX)

    assert rows(response, "geplant") == [f"Bald im Programm (2026) Film {shown(moment)}"]
    assert shown(moment).endswith(", 10:00 Uhr")
    change_url = reverse("admin:films_film_change", args=[film.pk])
    assert f'<a href="{change_url}">Bald im Programm (2026)</a>' in response.content.decode()


def test_films_beyond_two_weeks_already_visible_or_drafts_are_not_scheduled(editor_client):
    published_film("In zwanzig Tagen", berlin(20))
    published_film("Schon erschienen", berlin(-2))
    Film.objects.create(title="Nur ein Entwurf", year=2026, published_at=berlin(3))

    response = editor_client.get(INDEX)

    assert rows(response, "geplant") == ["Nichts geplant."]


def test_scheduled_films_and_reviews_come_in_the_order_they_appear(editor_client, critic):
    film = published_film("Am Freitag", berlin(5))
    review = review_of(film, critic, berlin(2, hour=18), headline="Vorab gelesen")

    response = editor_client.get(INDEX)

    assert rows(response, "geplant") == [
        f"Vorab gelesen (Am Freitag) Kritik {shown(review.published_at)}",
        f"Am Freitag (2026) Film {shown(film.published_at)}",
    ]


def test_a_kinostart_next_week_appears_with_what_it_lacks(editor_client, critic):
    next_week = current_week() + WEEK
    bare = published_film("Ganz ohne alles", berlin(-30), release_date=next_week)
    review_of(bare, critic, berlin(-1), status=Review.Status.DRAFT)  # not yet a review
    published_film(
        "Nur ohne Kritik",
        berlin(-30),
        release_date=next_week + datetime.timedelta(days=1),
        synopsis="Ein Anreißer.",
        poster="posters/plakat.jpg",
        poster_width=600,
        poster_height=900,
    )

    response = editor_client.get(INDEX)

    assert rows(response, "kinostarts") == [
        f"Ganz ohne alles (2026) {next_week:%d.%m.%Y} ohne Kritik, ohne Plakat, ohne Kurzinhalt",
        f"Nur ohne Kritik (2026) {next_week + datetime.timedelta(days=1):%d.%m.%Y} ohne Kritik",
    ]
    change_url = reverse("admin:films_film_change", args=[bare.pk])
    assert f'<a href="{change_url}">Ganz ohne alles (2026)</a>' in response.content.decode()


def test_complete_kinostarts_and_those_in_six_weeks_are_not_listed(editor_client, critic):
    complete_kinostart("Alles beisammen", current_week() + WEEK, critic)
    published_film("Noch lange hin", berlin(-30), release_date=current_week() + 6 * WEEK)

    response = editor_client.get(INDEX)

    assert rows(response, "kinostarts") == [
        "Alle haben eine Kritik, ein Plakat und einen Kurzinhalt."
    ]


def test_a_critic_sees_only_their_own_scheduled_reviews_and_no_kinostarts(
    client, critic, other_critic
):
    film = published_film("Bald", berlin(-30), release_date=current_week() + WEEK)
    own = review_of(film, critic, berlin(4), headline="Meine Besprechung")
    review_of(film, other_critic, berlin(5), headline="Fremde Besprechung")
    published_film("Geplanter Film", berlin(6))
    client.force_login(critic)

    response = client.get(INDEX)

    assert rows(response, "geplant") == [
        f"Meine Besprechung (Bald) Kritik {shown(own.published_at)}"
    ]
    assert 'id="kinostarts"' not in response.content.decode()


def test_staff_who_may_change_no_content_see_no_overview(client, db):
    client.force_login(make_user("praktikant"))

    response = client.get(INDEX)

    assert response.status_code == 200
    assert "editors-overview" not in response.content.decode()


# Django's start page: session, user, the user's and their groups' permissions, recent
# actions; and the overview's three: scheduled films, scheduled reviews, Kinostarts.
INDEX_QUERIES = 8


def test_the_start_page_reads_as_many_queries_for_many_items_as_for_one_and_shows_a_cap(
    editor_client, critic, django_assert_num_queries
):
    film = published_film("Der Erste", berlin(1), release_date=current_week() + WEEK)
    review_of(film, critic, berlin(2))
    with django_assert_num_queries(INDEX_QUERIES):
        editor_client.get(INDEX)

    for day in range(SHOWN + 5):
        film = published_film(
            f"Film {day}", berlin(1 + day % 13), release_date=current_week() + WEEK
        )
        review_of(film, critic, berlin(1 + day % 13, hour=12), status=Review.Status.DRAFT)
    with django_assert_num_queries(INDEX_QUERIES):
        response = editor_client.get(INDEX)

    assert len(rows(response, "geplant")) == SHOWN
    assert len(rows(response, "kinostarts")) == SHOWN
    assert response.content.decode().count("weitere folgen danach") == 2


@pytest.mark.postgresql
def test_the_overview_reads_its_rows_through_indexes(db, critic):
    """On PostgreSQL, none of the overview's queries reads a whole table."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (its planner, its partial indexes)")
    editor = make_user("chefredaktion", "Redaktion")
    with CaptureQueriesContext(connection) as queries:
        editors_overview(editor)
    overview_queries = [q["sql"] for q in queries if '"films_film"' in q["sql"]]
    assert len(overview_queries) == 3
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for sql in overview_queries:
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "Seq Scan" not in plan, plan
