"""A long review folds its rest behind "Mehr anzeigen", which says "Weniger anzeigen"
while the rest is open: both labels in the summary, the closed or open state of the
<details> showing one, with no script."""

import re
from pathlib import Path

import pytest

from reviews.models import Review
from tests.pages import page_text

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "site.css"


@pytest.fixture
def film_with_review(make_film, critic):
    film = make_film("Lang", 2020, status="published")
    Review.objects.create(
        film=film,
        author=critic,
        body="Der Anfang.\n\nDer Rest.",
        verdict="Gut.",
        status="published",
    )
    return film


def test_the_summary_holds_both_labels_each_marked_for_its_state(client, film_with_review):
    html = page_text(client.get(film_with_review.get_absolute_url()))
    [details] = re.findall(r'<details class="review__more">.*?</details>', html, flags=re.S)
    summary = re.search(r"<summary>(.*?)</summary>", details, flags=re.S).group(1)
    assert summary == (
        '<span class="when-closed">Mehr anzeigen</span>'
        '<span class="when-open">Weniger anzeigen</span>'
    )
    assert "<p>Der Rest.</p>" in details.split("</summary>", 1)[1]


def test_the_stylesheet_shows_the_label_of_the_current_state_only():
    rules = CSS.read_text()
    assert (
        "details:not([open]) > summary .when-open, details[open] > summary .when-closed "
        "{ display: none; }"
    ) in rules


def test_a_review_of_one_paragraph_has_nothing_to_fold(client, make_film, critic):
    film = make_film("Kurz", 2020, status="published")
    Review.objects.create(
        film=film, author=critic, body="Nur ein Absatz.", verdict="Gut.", status="published"
    )
    html = page_text(client.get(film.get_absolute_url()))
    assert "review__more" not in html and "Mehr anzeigen" not in html
