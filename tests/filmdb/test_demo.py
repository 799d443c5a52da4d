"""The demo data reproduces the seed's film page: tests read the seed itself."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from films.models import AlternativeTitle, Film, Genre, Offer
from people.models import Credit, Person
from reviews.models import Review
from tests import DATA

SEED = DATA / "seed" / "film-page.txt"


def seed_text() -> str:
    assert SEED.exists(), f"the seed film page is missing at {SEED}"
    return SEED.read_text(encoding="utf-8")


def seed_section(start: str, end: str) -> str:
    text = seed_text()
    return text[text.index(start) + len(start) : text.index(end, text.index(start))]


def seed_credits() -> list[tuple[str, str]]:
    """(German role heading, name) pairs of the seed's "Besetzung und Crew"."""
    pairs, heading = [], None
    for line in seed_section("Besetzung und Crew", "Kritikerrezensionen").splitlines():
        if line.strip().startswith("•"):
            pairs.append((heading, line.strip(" •,")))
        elif line.strip():
            heading = line.strip()
    return pairs


def seed_paragraphs(start: str, end: str) -> list[str]:
    return [p.strip() for p in seed_section(start, end).split("\n\n") if p.strip()]


def test_demo_film_has_the_seed_titles_texts_and_facts(demo_film):
    film = Film.objects.get(slug="der-geschmack-von-rost-und-knochen-2012")
    assert film.title == "Der Geschmack von Rost und Knochen"
    assert film.year == 2012
    assert film.status == Film.Status.PUBLISHED
    assert [genre.name for genre in film.genres.all()] == ["Drama"]

    original_title, synopsis = re.search(r"\n(.+?): (Als sich .+?)\n", seed_text()).groups()
    assert film.original_title == original_title == "De rouille et d'os"
    assert film.synopsis == synopsis

    plots = seed_paragraphs("Handlung und Hintergrund", "Besetzung und Crew")
    plot_versions, background = plots[:2], plots[2]
    assert film.plot == max(plot_versions, key=len)
    assert film.background == background
    assert film.background.startswith("Die Geschichte einer unmöglichen Liebe")


def test_demo_film_has_everyone_of_the_seed_under_their_role(demo_film):
    seeded = seed_credits()
    assert len(seeded) == 17
    headings = {label: value for value, label in Credit.Role.choices}
    stored = [
        (credit.get_role_display(), credit.person.name)
        for credit in demo_film.credits.select_related("person").order_by("order")
    ]
    assert stored == seeded
    assert {heading for heading, _ in seeded} <= set(headings)
    audiard_roles = set(
        Credit.objects.filter(person__name="Jacques Audiard").values_list("role", flat=True)
    )
    assert audiard_roles == {Credit.Role.DIRECTOR, Credit.Role.WRITER}
    assert demo_film.credits.get(person__name="Marion Cotillard").character == "Stéphanie"


def test_demo_film_has_the_seed_review_with_its_fazit(demo_film):
    review = demo_film.reviews.get()
    paragraphs = seed_paragraphs("Kritikerrezensionen", "Mehr anzeigen")
    paragraphs[0] = re.sub(r"^1\.\s+", "", paragraphs[0])
    *body, verdict = paragraphs
    assert review.body.split("\n\n") == body
    assert verdict.startswith("Fazit: ")
    assert review.verdict == verdict.removeprefix("Fazit: ")
    assert review.status == Review.Status.PUBLISHED
    assert review.published_at is not None


def test_demo_film_has_an_example_affiliate_offer(demo_film):
    offer = demo_film.offers.get()
    assert offer.url.startswith("https://www.example.com/")


def test_loading_the_demo_twice_changes_nothing(db):
    call_command("load_demo")
    models = [Film, Genre, Person, Credit, Review, Offer, AlternativeTitle]
    before = {model.__name__: list(model.objects.order_by("pk").values()) for model in models}
    call_command("load_demo")
    after = {model.__name__: list(model.objects.order_by("pk").values()) for model in models}
    assert after == before
    assert before["Film"] and before["Credit"]


def test_the_demo_editor_can_log_in_to_the_admin(client, db, settings):
    settings.DEBUG = True  # a local demo, as `make run` has it
    call_command("load_demo")
    call_command("create_demo_editor")
    login = {"username": "redaktion", "password": "filmdb-demo", "next": "/admin/"}
    assert client.post("/admin/login/", login).status_code == 302
    response = client.get("/admin/films/film/")
    assert "Der Geschmack von Rost und Knochen" in response.content.decode()
    call_command("create_demo_editor")  # a second run keeps the one account


def test_the_demo_editor_is_refused_in_production(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="nur für lokale Demos") as refused:
        call_command("create_demo_editor")
    assert "DJANGO_DEBUG" in str(refused.value)
    assert not get_user_model().objects.filter(username="redaktion").exists()
