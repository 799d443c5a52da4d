"""The film page's header shows the critics' average in stars and words once it is rated."""

import re

from reviews.models import Review
from tests.pages import page_text, visible_text


def rate(film, *ratings, authors, status="published") -> None:
    for author, rating in zip(authors, ratings, strict=True):
        Review.objects.create(
            film=film, author=author, body="Text.", verdict="Fazit.", rating=rating, status=status
        )


def header(client, film) -> str:
    html = page_text(client.get(film.get_absolute_url()))
    return re.search(r'<header class="film__header">(.*?)</header>', html, flags=re.S).group(1)


def test_a_rated_film_shows_its_average_and_number_of_critics_between_title_and_facts(
    client, make_film, critic, other_critic
):
    film = make_film("Gut bewertet", 2020, status="published")
    rate(film, 4, 5, authors=[critic, other_critic])
    text = visible_text(header(client, film))
    assert "★★★★★ 4,5 von 5 Sternen · 2 Kritiken" in text
    assert text.index("Gut bewertet") < text.index("4,5 von 5 Sternen") < text.index("Jahr 2020")


def test_the_stars_are_hidden_from_screen_readers_which_read_the_words(
    client, make_film, critic, other_critic
):
    film = make_film("Gut bewertet", 2020, status="published")
    rate(film, 3, 4, authors=[critic, other_critic])
    html = header(client, film)
    # Halves round up, as in the Bestenliste.
    assert '<span aria-hidden="true">★★★★☆</span>' in html
    assert '<span class="rating__text">3,5 von 5 Sternen · 2 Kritiken</span>' in html


def test_one_published_rating_counts_as_one_kritik_and_a_draft_not_at_all(
    client, make_film, critic, other_critic
):
    film = make_film("Einmal bewertet", 2020, status="published")
    rate(film, 4, authors=[critic])
    rate(film, 1, authors=[other_critic], status="draft")
    assert "★★★★☆ 4,0 von 5 Sternen · 1 Kritik" in visible_text(header(client, film))


def test_a_film_without_ratings_shows_no_stars(client, make_film, critic):
    film = make_film("Ohne Sterne", 2020, status="published")
    Review.objects.create(
        film=film, author=critic, body="Text.", verdict="Fazit.", status="published"
    )
    html = header(client, film)
    assert "Sternen" not in html
    assert "★" not in html
    assert "☆" not in html
