"""The changes feed, /api/v1/aenderungen/, as a partner who keeps a copy of the films and
people follows it: what to fetch again and what to delete, oldest first, page by page."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from filmdb.api import change_views
from filmdb.demo import FILM_SLUG
from films.models import Change, Film
from people.models import Credit, Person
from reviews.models import Review
from tests.admin_forms import change_form_data
from tests.html_forms import form_fields

FEED = "/api/v1/aenderungen/"


def ago(**delta) -> str:
    return (timezone.now() - datetime.timedelta(**delta)).isoformat()


def entries(api_get, since: str | None = None) -> list[tuple[str, str, bool]]:
    """(kind, slug, removed) of every entry since `since` (a minute ago), all pages."""
    found, response = [], api_get(FEED, {"seit": since or ago(minutes=1)})
    while True:
        assert response.status_code == 200
        answer = response.json()
        found += [(entry["kind"], entry["slug"], entry["removed"]) for entry in answer["results"]]
        if answer["next"] is None:
            return found
        response = api_get(answer["next"].removeprefix("http://testserver"))


def published(make_film, title: str, **fields) -> Film:
    return make_film(title=title, status=Film.Status.PUBLISHED, **fields)


def test_a_published_film_is_listed_with_its_api_address(clock, make_film, api_get):
    film = published(make_film, "Neu im Katalog")
    [entry] = api_get(FEED, {"seit": ago(minutes=1)}).json()["results"]
    assert entry == {
        "kind": "film",
        "slug": film.slug,
        "moment": entry["moment"],
        "removed": False,
        "url": f"http://testserver/api/v1/filme/{film.slug}/",
    }
    assert datetime.datetime.fromisoformat(entry["moment"]) == timezone.now()


def test_a_draft_is_not_listed_until_it_is_published(clock, make_film, api_get):
    draft = make_film(title="Geheimprojekt", status=Film.Status.DRAFT)
    draft.synopsis = "Noch geheim."
    draft.save()
    assert entries(api_get) == []
    clock.shift(datetime.timedelta(minutes=5))
    draft.status = Film.Status.PUBLISHED
    draft.save()
    assert entries(api_get) == [("film", draft.slug, False)]


def test_a_film_changed_twice_is_listed_once_with_its_latest_moment(clock, make_film, api_get):
    since = ago(minutes=1)
    film = published(make_film, "Oft geändert")
    clock.shift(datetime.timedelta(minutes=3))
    film.distributor = "Neuer Verleih"
    film.save()
    [entry] = api_get(FEED, {"seit": since}).json()["results"]
    assert entry["slug"] == film.slug
    assert datetime.datetime.fromisoformat(entry["moment"]) == timezone.now()


def test_after_an_editor_withdraws_a_film_the_feed_lists_it_as_removed(
    clock, demo_film, editor_client, api_get
):
    since = ago(minutes=1)
    Change.objects.all().delete()  # published before the feed began
    clock.shift(datetime.timedelta(minutes=2))
    page = editor_client.get(reverse("admin:films_film_change", args=[demo_film.pk]))
    response = editor_client.post(page.request["PATH_INFO"], change_form_data(page, status="draft"))
    assert response.status_code == 302
    editor_client.logout()
    assert ("film", FILM_SLUG, True) in entries(api_get, since)
    [entry] = [e for e in api_get(FEED, {"seit": since}).json()["results"] if e["kind"] == "film"]
    assert entry["url"] is None
    assert datetime.datetime.fromisoformat(entry["moment"]) == timezone.now()


def test_a_deleted_film_is_listed_as_removed_and_its_people_too(
    clock, demo_film, editor_client, api_get
):
    since = ago(minutes=1)
    clock.shift(datetime.timedelta(minutes=2))
    page = editor_client.get(reverse("admin:films_film_delete", args=[demo_film.pk])).content
    # The confirmation form, as the page rendered it (Django gives it no id).
    form = page.decode().replace('<form method="post">', '<form id="delete" method="post">', 1)
    url = reverse("admin:films_film_delete", args=[demo_film.pk])
    assert editor_client.post(url, form_fields(form, "delete")).status_code == 302
    editor_client.logout()
    listed = entries(api_get, since)
    assert ("film", FILM_SLUG, True) in listed
    # Known from this film only, its people are no longer public.
    assert ("person", "marion-cotillard", True) in listed
    assert not [entry for entry in listed if not entry[2]]


def test_a_person_is_listed_once_public_and_as_removed_when_no_longer(
    clock, make_film, make_person, api_get
):
    film = published(make_film, "Mit Besetzung")
    person = make_person("Nora Neu")
    assert ("person", person.slug, False) not in entries(api_get)  # known from no film yet
    credit = Credit.objects.create(film=film, person=person, role=Credit.Role.CAST)
    assert ("person", person.slug, False) in entries(api_get)
    clock.shift(datetime.timedelta(minutes=2))
    credit.delete()
    listed = entries(api_get, ago(minutes=1))
    assert ("person", person.slug, True) in listed
    assert ("film", film.slug, False) in listed  # its cast changed
    person.delete()
    assert entries(api_get, ago(minutes=1)).count(("person", person.slug, True)) == 1


def test_a_person_known_only_from_a_draft_is_never_listed(make_film, make_person, api_get):
    draft = make_film(title="Entwurf", status=Film.Status.DRAFT)
    person = make_person("Nora Niemand")
    Credit.objects.create(film=draft, person=person, role=Credit.Role.CAST)
    person.bio = "Geändert."
    person.save()
    assert entries(api_get) == []


def test_a_renamed_person_is_listed_under_the_new_slug_and_the_old_one_as_removed(
    clock, demo_film, editor_client, api_get
):
    since = ago(minutes=1)
    clock.shift(datetime.timedelta(minutes=2))
    audiard = Person.objects.get(slug="jacques-audiard")
    page = editor_client.get(reverse("admin:people_person_change", args=[audiard.pk]))
    data = change_form_data(page, name="Jacques Audiard Jr.", slug="jacques-audiard-jr")
    assert editor_client.post(page.request["PATH_INFO"], data).status_code == 302
    editor_client.logout()
    listed = entries(api_get, since)
    assert ("person", "jacques-audiard-jr", False) in listed
    assert ("person", "jacques-audiard", True) in listed


def test_a_scheduled_film_and_its_director_appear_once_its_moment_passes(
    clock, make_film, make_person, api_get
):
    since = ago(minutes=1)
    moment = timezone.now() + datetime.timedelta(hours=1)
    film = published(make_film, "Bald im Kino", published_at=moment)
    director = make_person("Zukunft Regisseurin")
    Credit.objects.create(film=film, person=director, role=Credit.Role.DIRECTOR)
    assert entries(api_get, since) == []
    clock.shift(datetime.timedelta(hours=1))
    results = api_get(FEED, {"seit": since}).json()["results"]
    assert {(entry["kind"], entry["slug"]) for entry in results} == {
        ("film", film.slug),
        ("person", director.slug),
    }
    assert {datetime.datetime.fromisoformat(entry["moment"]) for entry in results} == {moment}


def test_a_scheduled_film_withdrawn_before_its_moment_never_appears(clock, make_film, api_get):
    since = ago(minutes=1)
    film = published(
        make_film, "Doch nicht", published_at=timezone.now() + datetime.timedelta(hours=1)
    )
    film.status = Film.Status.DRAFT
    film.save()
    clock.shift(datetime.timedelta(hours=2))
    assert entries(api_get, since) == []


def test_a_published_review_lists_its_film(clock, make_film, editor, api_get):
    since = ago(minutes=1)
    film = published(make_film, "Besprochen")
    clock.shift(datetime.timedelta(minutes=2))
    Review.objects.create(
        film=film, author=editor, body="Text.", verdict="Fazit.", rating=4, status="published"
    )
    results = api_get(FEED, {"seit": since}).json()["results"]
    assert [datetime.datetime.fromisoformat(entry["moment"]) for entry in results] == [
        timezone.now()
    ]


def test_a_review_scheduled_for_later_lists_its_film_again_at_its_moment(
    clock, make_film, editor, api_get
):
    film = published(make_film, "Besprochen")
    moment = timezone.now() + datetime.timedelta(hours=2)
    Review.objects.create(
        film=film,
        author=editor,
        body="Text.",
        verdict="Fazit.",
        status="published",
        published_at=moment,
    )
    clock.shift(datetime.timedelta(hours=1))
    assert api_get(FEED, {"seit": ago(minutes=1)}).json()["results"] == []
    clock.shift(datetime.timedelta(hours=1))
    [entry] = api_get(FEED, {"seit": ago(minutes=1)}).json()["results"]
    assert entry["slug"] == film.slug
    assert datetime.datetime.fromisoformat(entry["moment"]) == moment


def test_an_objects_earlier_entries_give_way_to_its_latest(clock, make_film):
    film = published(make_film, "Oft gespeichert")
    for _ in range(3):
        clock.shift(datetime.timedelta(minutes=1))
        film.save()
    assert list(Change.objects.values_list("slug", "moment")) == [(film.slug, timezone.now())]


def test_entries_come_oldest_first(clock, make_film, api_get):
    since = ago(minutes=1)
    for title in ["Erster", "Zweiter", "Dritter"]:
        published(make_film, title)
        clock.shift(datetime.timedelta(minutes=1))
    results = api_get(FEED, {"seit": since}).json()["results"]
    assert [entry["slug"] for entry in results] == ["erster-2020", "zweiter-2020", "dritter-2020"]
    moments = [entry["moment"] for entry in results]
    assert moments == sorted(moments)


def test_the_cursor_skips_nothing_while_changes_arrive_between_pages(
    clock, make_film, api_get, monkeypatch
):
    monkeypatch.setattr(change_views, "PER_PAGE", 2)
    since = ago(minutes=1)
    films = {}
    for title in ["A", "B", "C", "D"]:
        films[title] = published(make_film, f"Film {title}")
        clock.shift(datetime.timedelta(minutes=1))
    first = api_get(FEED, {"seit": since}).json()
    assert [entry["slug"] for entry in first["results"]] == ["film-a-2020", "film-b-2020"]
    assert "cursor=" in first["next"]
    # Meanwhile A changes again and E is added: both come after what was read.
    films["A"].synopsis = "Neu."
    films["A"].save()
    published(make_film, "Film E")
    slugs = []
    page = first
    while page["next"]:
        page = api_get(page["next"].removeprefix("http://testserver")).json()
        slugs += [entry["slug"] for entry in page["results"]]
    assert slugs == ["film-c-2020", "film-d-2020", "film-a-2020", "film-e-2020"]


@pytest.mark.parametrize("since", ["2026-12-01T00:00:00Z", "2026-12-01T01:00:00+01:00"])
def test_a_moment_with_its_zone_is_read_as_given(clock, make_film, api_get, since):
    clock.move_to(datetime.datetime(2026, 12, 5, 12, tzinfo=datetime.UTC), tick=False)
    film = published(make_film, "Im Dezember")
    assert [entry["slug"] for entry in api_get(FEED, {"seit": since}).json()["results"]] == [
        film.slug
    ]


def test_a_moment_without_a_zone_is_german_time(clock, make_film, api_get):
    clock.move_to(datetime.datetime(2026, 12, 5, 12, tzinfo=datetime.UTC), tick=False)
    published(make_film, "Mittags")  # 13:00 in Berlin
    assert len(api_get(FEED, {"seit": "2026-12-05T13:00:00"}).json()["results"]) == 1
    assert api_get(FEED, {"seit": "2026-12-05T13:00:01"}).json()["results"] == []


def test_a_moment_to_come_lists_nothing_yet(clock, make_film, api_get):
    published(make_film, "Heute")
    assert api_get(FEED, {"seit": ago(minutes=-5)}).json() == {"results": [], "next": None}


@pytest.mark.parametrize(
    ("params", "parameter", "message"),
    [
        ({}, "seit", "fehlt"),
        ({"seit": "gestern"}, "seit", "ISO 8601"),
        ({"seit": "2026-13-01T00:00:00Z"}, "seit", "ISO 8601"),
        ({"seit": "15 Tage"}, "seit", "ISO 8601"),
        ("old", "seit", "seit darf höchstens 14 Tage zurückliegen."),
        ({"cursor": "kaputt!"}, "cursor", "next"),
        ({"cursor": "MjAyNnwx"}, "cursor", "next"),
        (
            {"cursor": "MjAyNi0xMi0wMVQwMDowMDowMCswMDowMHw5OTk5OTk5OTk5OTk5OTk5OTk5OTk"},
            "cursor",
            "next",
        ),
        ({"seit": "9999-12-31T23:59:59-14:00"}, "seit", "ISO 8601"),
        ({"seite": "2"}, "seite", "gibt es hier nicht"),
    ],
)
def test_a_bad_parameter_is_400_as_problem_json_in_german(db, api_get, params, parameter, message):
    if params == "old":
        params = {"seit": ago(days=14, minutes=1)}
    elif parameter != "seit":
        params = {"seit": ago(minutes=1), **params}
    response = api_get(FEED, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert message in " ".join(problem["errors"][parameter])
    assert problem["detail"].startswith("Prüf deine Parameter.")


def test_a_page_reads_in_one_query_however_many_entries(
    clock, make_film, api_get, settings, monkeypatch
):
    settings.PAGE_CACHE_SECONDS = 0  # the view's own queries (as for the film detail)
    since = ago(minutes=1)
    api_get(FEED, {"seit": since})
    with CaptureQueriesContext(connection) as empty:
        api_get(FEED, {"seit": since})
    for n in range(12):
        published(make_film, f"Film {n}")
    monkeypatch.setattr(change_views, "PER_PAGE", 5)
    with CaptureQueriesContext(connection) as full:
        assert len(api_get(FEED, {"seit": since}).json()["results"]) == 5
    assert len(empty) == len(full) == 1


def test_a_cached_answer_gives_way_to_a_new_change(clock, make_film, api_get):
    since = ago(minutes=1)
    assert api_get(FEED, {"seit": since}).json()["results"] == []
    published(make_film, "Gerade eben")
    assert len(api_get(FEED, {"seit": since}).json()["results"]) == 1


def test_prune_changes_deletes_the_entries_older_than_14_days(clock, make_film):
    published(make_film, "Alt")
    clock.shift(datetime.timedelta(days=15))
    published(make_film, "Neu")
    out = StringIO()
    call_command("prune_changes", stdout=out)
    assert out.getvalue() == "Gelöschte Einträge des Änderungs-Feeds (älter als 14 Tage): 1\n"
    assert list(Change.objects.values_list("slug", flat=True)) == ["neu-2020"]


@pytest.mark.postgresql
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_the_feed_reads_the_range_from_its_index(clock, db):
    now = timezone.now()
    Change.objects.bulk_create(
        Change(
            kind="film",
            object_id=n,
            slug=f"film-{n}",
            moment=now - datetime.timedelta(minutes=n),
        )
        for n in range(20000)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Change._meta.db_table}")
    since, cursor = now - datetime.timedelta(days=13), now - datetime.timedelta(days=12)
    for after in [None, (cursor, 5)]:
        plan = Change.objects.feed(since=since, after=after)[:101].explain()
        assert "Index Scan using films_change_feed_idx" in plan
        assert "Seq Scan" not in plan
    # A later page's range starts at the cursor's moment, not at `seit`.
    [range_condition, *_] = [line for line in plan.splitlines() if "Index Cond" in line]
    assert cursor.strftime("%Y-%m-%d %H:%M:%S") in range_condition


def test_an_offset_whose_plus_arrived_as_a_space_is_read_as_meant(clock, make_film, api_get):
    clock.move_to(datetime.datetime(2026, 12, 5, 12, tzinfo=datetime.UTC), tick=False)
    published(make_film, "Ohne Kodierung")
    response = api_get(f"{FEED}?seit=2026-12-05T12:59:00+01:00")
    assert len(response.json()["results"]) == 1
