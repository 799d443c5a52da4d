"""How a search orders what it finds: exact title, titles starting with the words, films
where a searched person leads, then the rest by popularity (credits and reviews)."""

import pytest

from filmdb.popularity import REVIEW_WEIGHT
from films.models import Film
from people.models import Credit, Person
from reviews.models import Review
from tests.conftest import make_user
from tests.pages import film_card_titles, page_text


def titles(client, **params) -> list[str]:
    response = client.get("/filme/", params)
    assert response.status_code == 200
    return film_card_titles(page_text(response))


def film(title: str, year: int = 2000, **fields) -> Film:
    return Film.objects.create(title=title, year=year, status="published", **fields)


def credit(film: Film, name: str, role: str = "cast", order: int = 0) -> Credit:
    person = Person.objects.filter(name=name).first() or Person.objects.create(name=name)
    return Credit.objects.create(film=film, person=person, role=role, order=order)


def extras(film: Film, count: int) -> None:
    """`count` more credits, which make `film` more popular."""
    for n in range(count):
        credit(film, f"Statist {film.pk}-{n}", "cast", order=100 + n)


def review(film: Film, status: str = "published") -> Review:
    author = make_user(f"kritik-{Review.objects.count()}")
    return Review.objects.create(
        film=film, author=author, body="Ein Text.", verdict="Gut.", status=status
    )


@pytest.fixture
def nights(db):
    """Films with "Nacht" in the title, in every tier, and a woman named Nachtigall."""
    films = {
        "exact": film("Die Nacht", 1950),
        "prefix": film("Die Nacht der Jäger", 1960),
        "prefix_popular": film("Die Nachtigall singt", 1961),
        "inside": film("Eine lange Nacht", 2020),
        "inside_popular": film("Tag und Nacht", 2021),
        "lead": film("Sommer", 1990),
        "support": film("Winter", 1991),
    }
    extras(films["prefix_popular"], 3)
    extras(films["inside_popular"], 8)
    extras(films["support"], 20)
    credit(films["lead"], "Dora Nachtigall", "cast", order=1)
    credit(films["support"], "Lea Star", "cast", order=1)
    credit(films["support"], "Dora Nachtigall", "cast", order=2)
    return films


def test_q_ranks_exact_title_then_prefix_then_people_then_popularity(client, nights):
    assert titles(client, q="die nacht") == [
        "Die Nacht",  # exact, though the least popular
        "Die Nachtigall singt",  # starting with the words, more popular
        "Die Nacht der Jäger",
    ]
    # Neither "nacht" nor a title starting with it: the films of Dora Nachtigall first.
    assert titles(client, q="nacht") == [
        "Sommer",  # she leads the cast
        "Winter",  # she plays the second part, though the film is the most popular
        "Tag und Nacht",  # the rest, most popular first
        "Die Nachtigall singt",
        "Eine lange Nacht",  # equally popular: the newest added first
        "Die Nacht der Jäger",
        "Die Nacht",
    ]


def test_exact_and_prefix_compare_folded_titles_and_original_titles(client, nights):
    film("Jäger der Nacht", 1970, original_title="Hunters of the Night")
    assert titles(client, q="JAEGER der nacht")[0] == "Jäger der Nacht"
    assert titles(client, q="hunters of the")[0] == "Jäger der Nacht"
    assert titles(client, q="die  nacht!")[0] == "Die Nacht"


def test_darsteller_ranks_leading_parts_first_then_popularity(client, nights):
    assert titles(client, darsteller="nachtigall") == ["Sommer", "Winter"]
    late = film("Herbst", 2010)
    credit(late, "Produzentin", "producer", order=0)
    credit(late, "Dora Nachtigall", "cast", order=5)  # first of the cast, after a producer
    extras(late, 1)
    # Leads in "Sommer" and "Herbst": the more popular first; "Winter" after both.
    assert titles(client, darsteller="nachtigall") == ["Herbst", "Sommer", "Winter"]


def test_regie_and_darsteller_rank_by_the_best_billing_of_either(client, nights):
    credit(nights["lead"], "Nora Regisseurin", "director", order=0)
    credit(nights["support"], "Erste Regie", "director", order=0)
    credit(nights["support"], "Nora Regisseurin", "director", order=1)
    # "Sommer": both lead; "Winter": each comes second, though it is the more popular.
    assert titles(client, regie="regisseurin", darsteller="nachtigall") == ["Sommer", "Winter"]
    Credit.objects.filter(film=nights["support"], person__name="Erste Regie").delete()
    # Nora Regisseurin is the first-named director of both now: the more popular first.
    assert titles(client, regie="regisseurin", darsteller="nachtigall") == ["Winter", "Sommer"]


def test_popularity_counts_credits_and_published_reviews(client, nights):
    inside, popular = nights["inside"], nights["inside_popular"]
    popular.refresh_from_db()
    assert popular.popularity == 8
    review(inside, status="draft")
    inside.refresh_from_db()
    assert inside.popularity == 0
    review(inside)
    inside.refresh_from_db()
    assert inside.popularity == REVIEW_WEIGHT
    assert titles(client, q="nacht")[2:4] == ["Eine lange Nacht", "Tag und Nacht"]
    Review.objects.filter(film=inside).delete()
    Credit.objects.filter(film=popular).first().delete()
    inside.refresh_from_db()
    popular.refresh_from_db()
    assert (inside.popularity, popular.popularity) == (0, 7)


def test_a_chosen_order_overrides_relevance(client, nights):
    newest = titles(client, q="nacht", sortierung="neueste")
    assert newest[:2] == ["Tag und Nacht", "Eine lange Nacht"]
    assert titles(client, darsteller="nachtigall", sortierung="neueste") == ["Winter", "Sommer"]


def test_relevance_without_words_is_newest_first(client, nights):
    """Nothing searched: the list stays newest first."""
    assert titles(client, q="", sortierung="relevanz") == titles(client)
