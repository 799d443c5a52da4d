"""Random editor input through the admin: refused with a German message, or shown escaped.

Each example posts an admin form as an editor with a few fields replaced by Hypothesis's
text (markup, control characters, very long strings, links of every scheme). Either the
form comes back with an error and nothing is stored, or it saves and the public pages
show the text escaped: no element, attribute or script of the text's own, and affiliate
links only to http(s) addresses. Every example is rolled back, so each starts from the
demo data.
"""

import re
from collections import Counter
from contextlib import contextmanager

import pytest
from django.db import transaction
from django.template.defaultfilters import linebreaks_filter
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from films.models import AlternativeTitle, Film, Genre, Offer
from people.models import Credit, Person
from reviews.models import Review
from tests.admin_forms import change_form_data, errors_of, film_add_data
from tests.fuzz.markup import injected_markup
from tests.fuzz.strategies import (
    SLUG_CHARACTERS,
    editor_text,
    examples,
    offer_urls,
    path_segments,
)
from tests.pages import json_ld, shown_escaped

pytestmark = pytest.mark.django_db

STORED_MODELS = [Film, AlternativeTitle, Offer, Genre, Person, Credit, Review]
# An error message in German (Django's own, translated, or ours).
GERMAN = re.compile(
    r"\b(Bitte|Gib|Dieses|Der|Die|Das|Ein|Eine|darf|muss|nicht|höchstens|gültige?n?|Zeichen)\b"
)

slug_texts = st.one_of(
    st.text(SLUG_CHARACTERS, min_size=1, max_size=30), path_segments, editor_text
)


@st.composite
def changes_of(draw, fields: dict[str, st.SearchStrategy[str]]) -> dict[str, str]:
    """One to three of `fields`, each with a value of its strategy."""
    names = draw(st.lists(st.sampled_from(sorted(fields)), min_size=1, max_size=3, unique=True))
    return {name: draw(fields[name]) for name in names}


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def stored(*objects) -> tuple:
    """How many rows each content model has, and the stored values of `objects`."""
    counts = tuple(model.objects.count() for model in STORED_MODELS)
    return counts, [type(obj).objects.filter(pk=obj.pk).values().get() for obj in objects]


def submit(client, url: str, data: dict, *changed) -> str:
    """Post an admin form: "refused" (German error, nothing stored) or "saved"."""
    before = stored(*changed)
    response = client.post(url, data)
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 302:
        return "saved"
    errors = errors_of(response)
    assert errors, "the form came back without an error"
    assert GERMAN.search(errors), errors
    assert stored(*changed) == before
    return "refused"


def public_page(visitor, path: str) -> str:
    response = visitor.get(path)
    assert response.status_code == 200, (path, response.status_code)
    html = response.content.decode()
    assert injected_markup(html) == []
    for payload in ["<script>alert", "<img src=x", "<svg onload"]:
        assert payload not in html
    return html


def test_film_texts_and_offer_links_are_refused_or_shown_escaped(editor_client, demo_film):
    visitor = Client()
    actor = Person.objects.get(name="Marion Cotillard")
    fields = {
        name: editor_text
        for name in [
            "title",
            "original_title",
            "countries",
            "distributor",
            "synopsis",
            "plot",
            "background",
            "offers-0-provider",
            "alternative_titles-0-title",
            "alternative_titles-0-region",
            "credits-0-character",
        ]
    } | {"slug": slug_texts, "offers-0-url": offer_urls}
    outcomes = Counter()

    @examples(100)
    @given(changes=changes_of(fields))
    def add_film(changes):
        data = film_add_data(
            editor_client,
            title="Fuzz",
            slug="fuzz-2009",
            status="published",
            offers=[
                {"provider": "Kino", "kind": "stream", "url": "https://example.com/", "position": 0}
            ],
            alternative_titles=[{"title": "Fuzz", "region": "AT", "kind": "working"}],
            credits=[{"role": "cast", "person": actor.pk, "character": "Ali", "order": 0}],
        )
        data.update(changes)
        with rolled_back():
            outcome = submit(editor_client, reverse("admin:films_film_add"), data)
            outcomes[outcome] += 1
            if outcome == "refused":
                return
            film = Film.objects.exclude(pk=demo_film.pk).get()
            html = public_page(visitor, film.get_absolute_url())
            offer, aka = film.offers.get(), film.alternative_titles.get()
            texts = [film.title, film.original_title, film.countries, film.distributor]
            for text in [*texts, film.synopsis, offer.provider, aka.title]:
                assert shown_escaped(text, html)
            for text in [film.plot, film.background]:
                assert not text or linebreaks_filter(text, autoescape=True) in html
            assert shown_escaped(film.credits.get().character, html)
            assert offer.url.startswith(("https://", "http://"))
            assert json_ld(html)[0]["name"] == film.title
            assert shown_escaped(film.title, public_page(visitor, "/"))

    add_film()
    assert outcomes["saved"] and outcomes["refused"], outcomes


def test_person_texts_are_refused_or_shown_escaped(editor_client, demo_film):
    visitor = Client()
    person = Person.objects.get(name="Jacques Audiard")
    url = reverse("admin:people_person_change", args=[person.pk])
    form = editor_client.get(url)
    # With dates, so that the page shows the places.
    dates = {"birth_date": "1952-04-30", "death_date": "2090-01-01"}
    fields = {
        name: editor_text for name in ["name", "birth_place", "death_place", "bio", "imdb_id"]
    } | {"slug": slug_texts}
    outcomes = Counter()

    @examples(60)
    @given(changes=changes_of(fields))
    def change_person(changes):
        with rolled_back():
            outcome = submit(editor_client, url, change_form_data(form, **dates, **changes), person)
            outcomes[outcome] += 1
            if outcome == "refused":
                return
            changed = Person.objects.get(pk=person.pk)
            html = public_page(visitor, changed.get_absolute_url())
            for text in [changed.name, changed.birth_place, changed.death_place]:
                assert shown_escaped(text, html)
            assert not changed.bio or linebreaks_filter(changed.bio, autoescape=True) in html
            assert json_ld(html)[0]["name"] == changed.name
            film_page = public_page(visitor, demo_film.get_absolute_url())
            assert shown_escaped(changed.name, film_page)

    change_person()
    assert outcomes["saved"] and outcomes["refused"], outcomes


def test_review_texts_are_refused_or_shown_escaped(editor_client, editor, demo_film):
    visitor = Client()
    fields = {name: editor_text for name in ["byline", "headline", "body", "verdict"]}
    outcomes = Counter()

    @examples(60)
    @given(changes=changes_of(fields))
    def add_review(changes):
        data = {
            "film": demo_film.pk,
            "author": editor.pk,
            "byline": "",
            "headline": "Stark",
            "body": "Ein starker Film.",
            "verdict": "Ansehen.",
            "rating": "4",
            "status": "published",
            "published_at_0": "",
            "published_at_1": "",
            **changes,
        }
        with rolled_back():
            outcome = submit(editor_client, reverse("admin:reviews_review_add"), data)
            outcomes[outcome] += 1
            if outcome == "refused":
                return
            review = Review.objects.latest("pk")
            html = public_page(visitor, demo_film.get_absolute_url())
            assert shown_escaped(review.headline or "Kritik", html)
            assert shown_escaped(review.verdict, html)
            assert linebreaks_filter(review.lead(), autoescape=True) in html
            assert shown_escaped(review.author_name(), html)
            reviews = json_ld(html)[0]["review"]
            assert {"reviewBody": review.body, "description": review.verdict}.items() <= (
                next(data for data in reviews if data["url"].endswith(f"#kritik-{review.pk}"))
            ).items()
            public_page(visitor, reverse("reviews:list"))

    add_review()
    assert outcomes["saved"] and outcomes["refused"], outcomes


def test_genre_names_are_refused_or_shown_escaped(editor_client, demo_film):
    visitor = Client()
    fields = {"name": editor_text, "slug": slug_texts}
    outcomes = Counter()

    @examples(40)
    @given(changes=changes_of(fields))
    def add_genre(changes):
        data = {"name": "Fuzz", "slug": "fuzz", **changes}
        with rolled_back():
            outcome = submit(editor_client, reverse("admin:films_genre_add"), data)
            outcomes[outcome] += 1
            if outcome == "refused":
                return
            genre = Genre.objects.latest("pk")
            html = public_page(visitor, reverse("films:list"))
            assert shown_escaped(genre.name, html)

    add_genre()
    assert outcomes["saved"] and outcomes["refused"], outcomes
