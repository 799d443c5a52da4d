"""The feeds answer whatever their texts hold: XML forbids control characters, and
Django refuses to write them, which would make the whole feed a 500."""

import datetime
import xml.etree.ElementTree as ET
from datetime import UTC

from django.utils import timezone

from films.models import Film
from reviews.models import Review
from tests.conftest import make_user

ATOM = "{http://www.w3.org/2005/Atom}"
# Stored past the forms' rules (bulk writes, rows older than the rules): a bell, a
# noncharacter, a vertical tab and a unit separator. PostgreSQL stores no NUL at all.
STRAY = "\x07\ufffe\x0b\x1f"


def first_entry(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200
    return ET.fromstring(response.content).find(f"{ATOM}entry")


def test_the_reviews_feed_answers_with_control_characters_in_a_review_and_its_film(client, db):
    film = Film.objects.create(
        title=f"Rost{STRAY} und Knochen",
        year=2012,
        status="published",
        published_at=timezone.now(),
    )
    Review.objects.create(
        film=film,
        author=make_user("kritikerin"),
        byline=f"Kritikerin{STRAY}",
        headline=f"Stark{STRAY}",
        body="Text.",
        verdict=f"Sehenswert{STRAY}.",
        status="published",
    )
    entry = first_entry(client, "/feeds/kritiken/")
    assert entry.find(f"{ATOM}title").text == "Rost und Knochen: Stark"
    assert entry.find(f"{ATOM}summary").text == "Sehenswert."
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "Kritikerin"


def test_the_kinostarts_feed_answers_with_control_characters_in_a_film(client, db, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2026, 12, 5, 12, tzinfo=UTC))
    Film.objects.create(
        title=f"Diese{STRAY} Woche",
        year=2026,
        release_date=datetime.date(2026, 12, 3),
        status="published",
        published_at=datetime.datetime(2000, 1, 1, tzinfo=UTC),
        synopsis=f"Über{STRAY} diese Woche.",
    )
    entry = first_entry(client, "/feeds/kinostarts/")
    assert entry.find(f"{ATOM}title").text == "Diese Woche (Kinostart 3. Dezember 2026)"
    assert entry.find(f"{ATOM}summary").text == "Über diese Woche."
