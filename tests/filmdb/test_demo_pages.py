"""After `load_demo` every kind of page shows something: the rated seed review, the real
films of the IMDb extracts, and example Kinostarts that say they are examples."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from reversion.models import Revision, Version

from filmdb.demo import EXAMPLE_NOTE, FILM_SLUG, demo_kinostarts, demo_load
from filmdb.models import InfoPage
from filmdb.pages.kinostarts import WEEK, current_week
from films.models import AlternativeTitle, Film, Genre, GenreListing, Offer
from people.models import Credit, Person
from reviews.models import Review
from tests.pages import film_card_titles, listed_people, page_text, visible_text

SEED_TITLE = "Der Geschmack von Rost und Knochen"
THIS_WEEK = ["Guadalajara", "The Fall"]
COMING = [
    "Isle of the Dead",
    "Matchmaker - Auf der Suche nach dem koscheren Mann",
    "Foreign Exchange",
]


@pytest.fixture
def demo(db) -> None:
    call_command("load_demo", stdout=io.StringIO())


def cards(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return film_card_titles(page_text(response))


def film_cards_html(html: str) -> dict[str, str]:
    """Each film card's visible text, by its title."""
    blocks = re.findall(r'<article class="film-card">(.*?)</article>', html, flags=re.S)
    return {film_card_titles(block)[0]: visible_text(block) for block in blocks}


def test_the_demo_review_has_four_stars_and_the_date_of_the_films_german_start(demo):
    review = Review.objects.get(film__slug=FILM_SLUG)
    assert review.rating == 4
    assert timezone.localdate(review.published_at) == datetime.date(2013, 1, 10)


def test_an_older_demos_unrated_review_gets_its_stars_unless_someone_edited_it(db):
    demo_load()
    unrated = Review.objects.filter(film__slug=FILM_SLUG)
    unrated.update(rating=None, published_at=timezone.now())  # as older demos left it
    demo_load()
    review = unrated.get()
    assert (review.rating, review.published_at.year) == (4, 2013)
    review.rating = None
    review.save()  # an editor took the stars away
    demo_load()
    assert unrated.get().rating is None


def test_the_bestenliste_shows_the_demo_film_with_its_stars(client, demo):
    html = page_text(client.get("/bestenliste/"))
    assert film_card_titles(html) == [SEED_TITLE]
    assert "★★★★☆ 4,0 von 5 Sternen · 1 Kritik" in visible_text(html)


def test_the_latest_reviews_show_the_demo_review_dated_2013(client, demo):
    text = visible_text(page_text(client.get("/kritiken/")))
    assert SEED_TITLE in text
    assert "2013" in text


def test_imported_real_films_fill_genre_and_year_pages(client, demo):
    assert "Isle of the Dead" in cards(client, "/genre/horror/")
    assert "Der Pate" in cards(client, "/jahr/1972/")
    assert "Pulp Fiction" in cards(client, "/jahr/1994/")
    assert Film.objects.published().count() == Film.objects.count() > 50


def test_imported_real_films_and_people_are_found(client, demo):
    assert "Der Pate" in cards(client, "/filme/?q=pate")
    assert "Boris Karloff" in listed_people(page_text(client.get("/personen/?q=karloff")))
    person = Person.objects.get(name="Boris Karloff")
    response = client.get(person.get_absolute_url())
    assert "Isle of the Dead" in visible_text(page_text(response))


def test_example_kinostarts_fill_this_week_and_the_coming_weeks(client, demo):
    text = visible_text(page_text(client.get("/kinostarts/")))
    this_week, coming = text.split("Demnächst im Kino")
    assert all(title in this_week for title in THIS_WEEK)
    assert all(title in coming and title not in this_week for title in COMING)
    week = current_week().isoformat()
    assert sorted(cards(client, f"/kinostarts/{week}/")) == THIS_WEEK


def test_every_example_kinostart_says_on_its_card_that_it_is_an_example(client, demo):
    shown = film_cards_html(page_text(client.get("/kinostarts/")))
    assert set(shown) == {*THIS_WEEK, *COMING}
    assert all(
        "Beispiel: Dieser Kinostart ist ein Beispiel der Demodaten" in t for t in shown.values()
    )
    assert all("der Starttermin ist erfunden" in text for text in shown.values())
    # The home page's cards say it too.
    home = film_cards_html(page_text(client.get("/")))
    assert all("Beispiel:" in home[title] for title in home if title in shown)


def test_only_example_films_have_an_invented_start(demo):
    invented = Film.objects.filter(release_date__gte=current_week())
    assert set(invented.values_list("synopsis", flat=True)) == {EXAMPLE_NOTE}
    assert invented.count() == len(THIS_WEEK) + len(COMING)


def test_a_later_run_moves_the_examples_to_the_weeks_current_then(demo, monkeypatch):
    written = Film.objects.get(title="Foreign Exchange")
    written.synopsis = "Von der Redaktion geschrieben."
    written.save()
    before = dict(Film.objects.filter(synopsis=EXAMPLE_NOTE).values_list("pk", "release_date"))
    later = timezone.now() + 2 * WEEK
    monkeypatch.setattr(timezone, "now", lambda: later)
    demo_kinostarts()
    after = dict(Film.objects.filter(synopsis=EXAMPLE_NOTE).values_list("pk", "release_date"))
    assert after == {pk: start + 2 * WEEK for pk, start in before.items()}
    written.refresh_from_db()
    assert written.release_date == current_week() - 2 * WEEK + 3 * WEEK


def test_loading_the_demo_twice_changes_no_row_and_adds_no_version(db):
    call_command("load_demo", stdout=io.StringIO())
    models = [Film, Genre, GenreListing, Person, Credit, Review, Offer, AlternativeTitle]
    models += [InfoPage, Revision, Version]

    def rows() -> dict[str, list[dict]]:
        return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}

    before = rows()
    call_command("load_demo", stdout=io.StringIO())
    assert rows() == before
    assert len(before["Film"]) > 50 and before["Credit"] and before["GenreListing"]
