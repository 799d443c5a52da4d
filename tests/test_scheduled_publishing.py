"""Scheduled publishing: a published film or review whose moment lies ahead is invisible
to visitors everywhere until then, and appears at that moment with no one saving."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from films.models import Film, Genre
from people.models import Credit, Person
from reviews.models import Review
from tests.admin_forms import film_add_data
from tests.conftest import make_user
from tests.pages import film_card_titles, page_text, visible_text

ATOM = "{http://www.w3.org/2005/Atom}"


def later(**delta) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(**delta)


@pytest.fixture
def drama(db) -> Genre:
    return Genre.objects.create(name="Drama", slug="drama")


def scheduled_film(drama: Genre, moment: datetime.datetime) -> Film:
    film = Film.objects.create(
        title="Morgen im Kino",
        year=2026,
        release_date=timezone.localdate(),
        status="published",
        published_at=moment,
    )
    film.genres.add(drama)
    person = Person.objects.create(name="Zukunft Regisseurin")
    Credit.objects.create(film=film, person=person, role="director")
    return film


def everywhere(client, film: Film) -> dict[str, bool]:
    """Where visitors find the film."""
    week = timezone.localdate() - datetime.timedelta(days=(timezone.localdate().weekday() - 3) % 7)
    person = Person.objects.get(name="Zukunft Regisseurin")
    sitemap = page_text(client.get("/sitemap-filme.xml"))
    return {
        "film page": client.get(film.get_absolute_url()).status_code == 200,
        "film list": "Morgen im Kino" in film_card_titles(page_text(client.get("/filme/"))),
        "search": "Morgen im Kino"
        in film_card_titles(page_text(client.get("/filme/", {"regie": "zukunft"}))),
        "genre page": "Morgen im Kino" in page_text(client.get("/genre/drama/")),
        "genre count": "Drama (1 Film)" in visible_text(page_text(client.get("/genres/"))),
        "year page": "Morgen im Kino" in page_text(client.get("/jahr/2026/")),
        "Kinostarts": "Morgen im Kino" in page_text(client.get(f"/kinostarts/{week}/")),
        "person page": "Morgen im Kino" in page_text(client.get(person.get_absolute_url())),
        "sitemap": film.get_absolute_url() in sitemap,
        "home": "Morgen im Kino" in page_text(client.get("/")),
    }


def test_a_film_scheduled_for_later_appears_at_its_moment_with_no_save(client, drama, clock):
    # Within PAGE_CACHE_SECONDS: the cached pages are still kept, only the moment ends them.
    moment = later(minutes=5)
    film = scheduled_film(drama, moment)
    before = everywhere(client, film)  # and every list now in the page cache
    assert before == dict.fromkeys(before, False)
    clock.shift(moment - timezone.now() - datetime.timedelta(microseconds=1))
    just_before = everywhere(client, film)
    assert just_before == dict.fromkeys(just_before, False)
    clock.shift(datetime.timedelta(microseconds=1))
    assert timezone.now() == moment
    after = everywhere(client, film)
    assert after == dict.fromkeys(after, True)
    assert Film.objects.get().version == 1  # no one saved it


def test_a_film_published_this_very_moment_is_visible_everywhere_at_once(client, drama, clock):
    clock.shift(datetime.timedelta(microseconds=654321))  # a moment as precise as any
    film = scheduled_film(drama, timezone.now())  # the clock stands still: this moment
    shown = everywhere(client, film)
    assert shown == dict.fromkeys(shown, True)


def test_a_scheduled_review_shows_nowhere_until_its_moment(client, db):
    film = Film.objects.create(title="Bewertet", year=2020, status="published")
    critic = make_user("kritikerin", "Kritik")
    Review.objects.create(
        film=film,
        author=critic,
        headline="Kommt noch",
        body="Text.",
        verdict="Fazit.",
        rating=5,
        status="published",
        published_at=later(days=1),
    )
    assert "Kommt noch" not in page_text(client.get(film.get_absolute_url()))
    assert "Kommt noch" not in page_text(client.get("/kritiken/"))
    assert "Kommt noch" not in page_text(client.get("/feeds/kritiken/"))
    assert film_card_titles(page_text(client.get("/bestenliste/"))) == []
    assert "aggregateRating" not in page_text(client.get(film.get_absolute_url()))


def test_the_bestenliste_counts_a_scheduled_review_once_its_moment_has_passed(client, db, clock):
    film = Film.objects.create(title="Bald bewertet", year=2020, status="published")
    moment = later(minutes=5)  # within PAGE_CACHE_SECONDS, as above
    Review.objects.create(
        film=film,
        author=make_user("kritikerin", "Kritik"),
        body="Text.",
        verdict="Fazit.",
        rating=4,
        status="published",
        published_at=moment,
    )
    assert film_card_titles(page_text(client.get("/bestenliste/"))) == []
    clock.shift(moment - timezone.now())
    assert film_card_titles(page_text(client.get("/bestenliste/"))) == ["Bald bewertet"]
    assert "4,0 von 5 Sternen · 1 Kritik" in visible_text(page_text(client.get("/bestenliste/")))


def test_feeds_leave_out_scheduled_films_and_reviews(client, drama):
    scheduled_film(drama, later(days=1))
    feed = ET.fromstring(client.get("/feeds/kinostarts/").content)
    assert feed.findall(f"{ATOM}entry") == []


def test_staff_see_a_scheduled_film_with_a_banner_naming_its_moment(editor_client, drama):
    moment = timezone.localtime(later(days=2)).replace(hour=10, minute=30, second=0)
    film = scheduled_film(drama, moment)
    text = visible_text(page_text(editor_client.get(film.get_absolute_url())))
    assert f"Geplant – erscheint am {moment.day}. " in text
    assert "10:30 Uhr; bis dahin ist diese Seite nur für die Redaktion sichtbar." in text


def test_the_admin_shows_geplant_and_the_moment_in_its_list_and_form(editor_client, drama):
    moment = timezone.localtime(later(days=2)).replace(hour=10, minute=30, second=0)
    film = scheduled_film(drama, moment)
    expected = f"geplant: {moment:%d.%m.%Y}, 10:30 Uhr"
    assert expected in page_text(editor_client.get(reverse("admin:films_film_changelist")))
    form = page_text(editor_client.get(reverse("admin:films_film_change", args=[film.pk])))
    assert expected in form and "Veröffentlichen ab" in form


def test_an_editor_schedules_a_film_in_the_admin(client, editor_client, drama):
    moment = timezone.localtime(later(days=3))
    response = editor_client.post(
        reverse("admin:films_film_add"),
        film_add_data(
            editor_client,
            status="published",
            published_at_0=f"{moment:%d.%m.%Y}",
            published_at_1=f"{moment:%H:%M:%S}",
        ),
    )
    assert response.status_code == 302
    film = Film.objects.get()
    assert film.is_scheduled and not film.is_published
    editor_client.logout()
    assert client.get(film.get_absolute_url()).status_code == 404


def test_publishing_without_a_moment_publishes_now(editor_client, db):
    editor_client.post(
        reverse("admin:films_film_add"), film_add_data(editor_client, status="published")
    )
    film = Film.objects.get()
    assert film.is_published
    assert timezone.now() - film.published_at < datetime.timedelta(minutes=1)
