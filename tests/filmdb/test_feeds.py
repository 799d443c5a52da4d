"""Atom feeds of the latest reviews and of the coming Kinostarts, announced on their pages."""

import datetime
import xml.etree.ElementTree as ET
from datetime import UTC

import pytest
from django.utils import timezone

from films.models import Film
from reviews.models import Review
from tests.conftest import make_user
from tests.pages import page_text

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}id").text and feed.find(f"{ATOM}updated") is not None
    found = []
    for entry in feed.findall(f"{ATOM}entry"):
        found.append(
            {
                "id": entry.find(f"{ATOM}id").text,
                "title": entry.find(f"{ATOM}title").text,
                "updated": entry.find(f"{ATOM}updated").text,
                "link": entry.find(f"{ATOM}link").get("href"),
                "summary": entry.find(f"{ATOM}summary").text,
            }
        )
    return found


def test_the_reviews_feed_has_the_latest_published_reviews(client, demo_film):
    author = make_user("kritikerin")
    Review.objects.create(
        film=demo_film, author=author, headline="Entwurf", body="Text.", verdict="Noch nicht."
    )
    newest = Review.objects.create(
        film=demo_film,
        author=author,
        headline="Ein Meisterwerk",
        body="Text.",
        verdict="Unbedingt ansehen.",
        status="published",
    )
    found = entries(client, "/feeds/kritiken/")
    assert len(found) == 2  # the demo review and the newest; not the draft
    assert found[0]["title"] == f"{demo_film.title}: Ein Meisterwerk"
    assert found[0]["summary"] == "Unbedingt ansehen."
    assert found[0]["link"] == f"http://testserver{newest.get_absolute_url()}"
    assert found[0]["id"] != found[1]["id"]
    # The same moment, whatever the zone it is written in (near midnight the dates differ).
    assert datetime.datetime.fromisoformat(found[0]["updated"]) == newest.updated_at
    assert found[1]["title"] == demo_film.title  # the demo review has no headline


def test_the_kinostarts_feed_has_this_and_the_coming_weeks_films(client, db, monkeypatch):
    moment = datetime.datetime(2026, 12, 5, 12, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    for title, starts, status in [
        ("Diese Woche", "2026-12-03", "published"),
        ("In zwei Wochen", "2026-12-17", "published"),
        ("Vorige Woche", "2026-11-26", "published"),
        ("Entwurf", "2026-12-04", "draft"),
    ]:
        Film.objects.create(
            title=title,
            year=2026,
            release_date=datetime.date.fromisoformat(starts),
            status=status,
            # Long ago: visible at the moment the test sets the clock to.
            published_at=datetime.datetime(2000, 1, 1, tzinfo=UTC),
            synopsis=f"Über {title}.",
        )
    found = entries(client, "/feeds/kinostarts/")
    assert [entry["title"] for entry in found] == [
        "Diese Woche (Kinostart 3. Dezember 2026)",
        "In zwei Wochen (Kinostart 17. Dezember 2026)",
    ]
    assert found[0]["summary"] == "Über Diese Woche."
    assert found[0]["link"] == "http://testserver/filme/diese-woche-2026/"


@pytest.mark.parametrize(
    ("page", "feed"),
    [
        ("/", "/feeds/kritiken/"),
        ("/kritiken/", "/feeds/kritiken/"),
        ("/kinostarts/", "/feeds/kinostarts/"),
    ],
)
def test_each_feed_is_announced_on_its_pages(client, db, page, feed):
    assert 'type="application/atom+xml" title=' in page_text(client.get(page))
    assert f'href="{feed}"' in page_text(client.get(page))
