"""Kinostarts: this cinema week's films (Thursday to Wednesday, Berlin time), then the
coming weeks', and each week on a page of its own."""

import datetime
from datetime import UTC

import pytest
from django.utils import timezone

from films.models import Film, Genre
from people.models import Credit, Person
from tests.pages import film_card_titles, json_ld, page_text, visible_text


@pytest.fixture
def now(monkeypatch):
    """Set the current time (UTC)."""

    def set_now(*args: int) -> None:
        moment = datetime.datetime(*args, tzinfo=UTC)
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_now


# Published long ago: visible at every moment the tests set the clock to.
LONG_AGO = datetime.datetime(2000, 1, 1, tzinfo=UTC)


def film(title: str, starts: str, status: str = "published", **fields) -> Film:
    return Film.objects.create(
        title=title,
        year=int(starts[:4]),
        release_date=datetime.date.fromisoformat(starts),
        status=status,
        published_at=LONG_AGO if status == "published" else None,
        **fields,
    )


def titles(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return film_card_titles(page_text(response))


def test_this_week_runs_from_thursday_to_wednesday_then_come_the_next_weeks(client, db, now):
    now(2026, 12, 5, 12, 0)  # a Saturday; the week started on Thursday 3 December
    film("Letzte Woche", "2026-12-02")  # Wednesday
    film("Donnerstag", "2026-12-03")
    film("Mittwoch danach", "2026-12-09")
    film("Nächste Woche", "2026-12-10")
    film("In vier Wochen", "2026-12-31")
    film("In fünf Wochen", "2027-01-07")
    film("Entwurf", "2026-12-04", status="draft")
    text = visible_text(page_text(client.get("/kinostarts/")))
    this_week, coming = text.split("Demnächst im Kino")
    assert "Donnerstag" in this_week and "Mittwoch danach" in this_week
    assert "Letzte Woche" not in text and "Entwurf" not in text
    assert "Nächste Woche" in coming and "In vier Wochen" in coming
    assert "In fünf Wochen" not in text
    assert "Kinostarts vom 3. Dezember bis 9. Dezember 2026" in this_week


def test_the_week_turns_at_midnight_berlin_time(client, db, now):
    film("Ab Donnerstag", "2026-12-03")
    now(2026, 12, 2, 22, 30)  # 23:30 on Wednesday in Berlin
    this_week, coming = visible_text(page_text(client.get("/kinostarts/"))).split(
        "Demnächst im Kino"
    )
    assert "Kinostarts vom 26. November" in this_week
    assert "Ab Donnerstag" not in this_week and "Ab Donnerstag" in coming
    now(2026, 12, 2, 23, 30)  # 00:30 on Thursday in Berlin
    this_week, coming = visible_text(page_text(client.get("/kinostarts/"))).split(
        "Demnächst im Kino"
    )
    assert "Kinostarts vom 3. Dezember" in this_week and "Ab Donnerstag" in this_week


def test_a_week_has_its_own_page_with_links_to_the_weeks_around_it(client, db):
    film("Im Dezember", "2026-12-03")
    film("Eine Woche später", "2026-12-10")
    response = client.get("/kinostarts/2026-12-03/")
    assert titles(client, "/kinostarts/2026-12-03/") == ["Im Dezember"]
    html = page_text(response)
    assert 'href="/kinostarts/2026-11-26/"' in html and 'href="/kinostarts/2026-12-10/"' in html
    assert "Demnächst im Kino" not in html
    assert '<link rel="canonical" href="http://testserver/kinostarts/2026-12-03/">' in html


@pytest.mark.parametrize(
    ("day", "thursday"),
    [("2026-12-04", "2026-12-03"), ("2026-12-09", "2026-12-03"), ("2027-01-01", "2026-12-31")],
)
def test_any_other_day_redirects_to_its_weeks_thursday(client, db, day, thursday):
    response = client.get(f"/kinostarts/{day}/")
    assert response.status_code == 301
    assert response["Location"] == f"/kinostarts/{thursday}/"


@pytest.mark.parametrize(
    "day",
    ["2026-02-30", "2026-13-01", "morgen", "2026-1-1", "20261203", "0001-01-04", "9999-12-30"],
)
def test_an_impossible_date_or_no_date_is_not_found(client, db, day):
    response = client.get(f"/kinostarts/{day}/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in page_text(response)


@pytest.mark.parametrize("day", ["1870-01-01", "1870-01-05", "1869-12-30", "2101-01-01"])
def test_a_day_whose_week_has_no_page_is_not_found_rather_than_redirected(client, db, day):
    # 1 to 5 January 1870 belong to the week of Thursday 30 December 1869: no film year.
    response = client.get(f"/kinostarts/{day}/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in page_text(response)


def test_the_first_and_the_last_week_link_no_week_beyond_them(client, db):
    first = page_text(client.get("/kinostarts/1870-01-06/"))
    assert 'rel="prev"' not in first
    assert 'href="/kinostarts/1870-01-13/"' in first
    assert client.get("/kinostarts/1870-01-07/")["Location"] == "/kinostarts/1870-01-06/"

    last = page_text(client.get("/kinostarts/2100-12-30/"))
    assert 'href="/kinostarts/2100-12-23/"' in last
    assert 'rel="next"' not in last
    assert client.get("/kinostarts/2100-12-31/")["Location"] == "/kinostarts/2100-12-30/"


def test_a_card_shows_poster_people_genres_fsk_runtime_and_synopsis(client, db):
    starting = film("Der Film", "2026-12-03", fsk=12, runtime=118, synopsis="Zwei Leben.")
    starting.genres.add(Genre.objects.create(name="Drama", slug="drama"))
    for order, (name, role) in enumerate([("Eine Regisseurin", "director"), ("Ein Star", "cast")]):
        Credit.objects.create(
            film=starting, person=Person.objects.create(name=name), role=role, order=order
        )
    text = visible_text(page_text(client.get("/kinostarts/2026-12-03/")))
    assert "Regie: Eine Regisseurin" in text and "Mit Ein Star" in text
    assert "Donnerstag, 3. Dezember · Drama · FSK 12 · 118 Min." in text
    assert "Zwei Leben." in text


def test_the_films_are_an_item_list_in_the_pages_order(client, db):
    film("B-Film", "2026-12-03")
    film("A-Film", "2026-12-03")
    film("Später", "2026-12-05")
    [data] = json_ld(page_text(client.get("/kinostarts/2026-12-03/")))
    assert data["@type"] == "ItemList"
    assert [item["name"] for item in data["itemListElement"]] == ["A-Film", "B-Film", "Später"]
    assert [item["position"] for item in data["itemListElement"]] == [1, 2, 3]


def test_a_week_takes_the_same_few_queries_however_many_films(
    client, db, django_assert_max_num_queries
):
    for n in range(3):
        film(f"Film {n}", "2026-12-03")
    with django_assert_max_num_queries(6) as few:
        client.get("/kinostarts/2026-12-03/")
    for n in range(3, 30):
        film(f"Film {n}", "2026-12-04").genres.add(
            Genre.objects.get_or_create(name="Drama", slug="drama")[0]
        )
    with django_assert_max_num_queries(6) as many:
        assert len(titles(client, "/kinostarts/2026-12-03/")) == 30
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_header_links_kinostarts(client, db):
    assert 'href="/kinostarts/"' in page_text(client.get("/"))


def test_the_film_pages_kinostart_links_to_its_week(client, db):
    starting = film("Am Samstag", "2026-12-05")
    html = page_text(client.get(starting.get_absolute_url()))
    assert '<a href="/kinostarts/2026-12-03/"><time datetime="2026-12-05">' in html


def test_the_sitemap_lists_the_weeks_with_films_once_each(client, db):
    film("Eins", "2026-12-03")
    film("Zwei", "2026-12-06")
    film("Drei", "2027-01-14")
    film("Entwurf", "2027-02-04", status="draft")
    assert "sitemap-kinostarts.xml" in page_text(client.get("/sitemap.xml"))
    sitemap = page_text(client.get("/sitemap-kinostarts.xml"))
    assert sitemap.count("<loc>") == 2
    assert "http://testserver/kinostarts/2026-12-03/" in sitemap
    assert "http://testserver/kinostarts/2027-01-14/" in sitemap
