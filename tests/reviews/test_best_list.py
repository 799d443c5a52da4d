"""The Bestenliste: published films ranked by their published critics' average rating,
by genre and decade."""

import pytest

from filmdb.lib.pagination import CappedCountPaginator
from films.models import Film, Genre
from reviews.models import Review
from tests.conftest import make_user
from tests.pages import film_card_titles, json_ld, page_text, visible_text


def film(title: str, year: int = 2000, *ratings: int, status: str = "published", genres=()):
    made = Film.objects.create(title=title, year=year, status=status)
    made.genres.add(*genres)
    for rating in ratings:
        review(made, rating)
    return made


def review(film: Film, rating: int | None, status: str = "published") -> Review:
    author = make_user(f"kritik-{Review.objects.count()}")
    return Review.objects.create(
        film=film, author=author, body="Text.", verdict="Fazit.", rating=rating, status=status
    )


def titles(client, **params) -> list[str]:
    response = client.get("/bestenliste/", params)
    assert response.status_code == 200
    return film_card_titles(page_text(response))


def test_films_rank_by_average_then_by_number_of_reviews_then_title(client, db):
    film("Gut", 2000, 4)
    film("Sehr gut, oft", 2000, 5, 4)  # 4.5 from two
    film("Sehr gut", 2000, 5, 4, status="published")  # 4.5 from two, title later
    film("Sehr gut, öfter", 2000, 5, 4, 5, 4)  # 4.5 from four
    film("Ohne Wertung", 2000)
    unrated = film("Nur Text")
    review(unrated, None)
    assert titles(client) == ["Sehr gut, öfter", "Sehr gut", "Sehr gut, oft", "Gut"]


def test_only_published_reviews_of_published_films_count(client, db):
    film("Entwurf", 2000, 5, status="draft")
    rated = film("Veröffentlicht", 2000, 2)
    review(rated, 5, status="draft")
    assert titles(client) == ["Veröffentlicht"]
    text = visible_text(page_text(client.get("/bestenliste/")))
    assert "2,0 von 5 Sternen · 1 Kritik" in text


def test_each_film_shows_its_average_as_stars_and_its_number_of_reviews(client, db):
    film("Zwei Wertungen", 2000, 5, 4)
    html = page_text(client.get("/bestenliste/"))
    assert '<span aria-hidden="true">★★★★★</span>' in html  # 4.5 rounds up
    assert "4,5 von 5 Sternen · 2 Kritiken" in visible_text(html)


def test_the_list_filters_by_genre_and_decade(client, db):
    drama = Genre.objects.create(name="Drama", slug="drama")
    film("Drama der Neunziger", 1994, 3, genres=[drama])
    film("Drama von 2001", 2001, 4, genres=[drama])
    film("Komödie der Neunziger", 1999, 5)
    assert titles(client, genre="drama") == ["Drama von 2001", "Drama der Neunziger"]
    assert titles(client, jahrzehnt=1990) == ["Komödie der Neunziger", "Drama der Neunziger"]
    assert titles(client, genre="drama", jahrzehnt="1990") == ["Drama der Neunziger"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"genre": "gibt-es-nicht"}, "Dieses Genre kennen wir nicht."),
        ({"jahrzehnt": "neunziger"}, "Gib ein Jahrzehnt als Jahreszahl an, etwa 1990."),
        ({"jahrzehnt": "1995"}, "Ein Jahrzehnt beginnt mit einem Jahr auf 0, etwa 1990."),
        ({"jahrzehnt": "1000"}, "Ein Jahrzehnt ab 1870, bitte."),
        ({"jahrzehnt": "99999999999999999999"}, "Ein Jahrzehnt bis 2100, bitte."),
        ({"seite": "abc"}, None),
    ],
)
def test_bad_parameters_get_a_german_message_never_an_error(client, db, params, message):
    film("Gut", 2000, 4)
    response = client.get("/bestenliste/", params)
    assert response.status_code == 200
    text = visible_text(page_text(response))
    if message:
        assert message in text and "Bitte prüfe deine Eingaben." in text
        assert film_card_titles(page_text(response)) == []
    else:
        assert film_card_titles(page_text(response)) == ["Gut"]


def test_the_list_is_an_item_list_and_is_linked_from_the_header(client, db):
    film("Zweiter", 2000, 3)
    film("Erster", 2000, 5)
    [data] = json_ld(page_text(client.get("/bestenliste/")))
    assert [item["name"] for item in data["itemListElement"]] == ["Erster", "Zweiter"]
    assert 'href="/bestenliste/"' in page_text(client.get("/"))


def test_the_list_takes_the_same_few_queries_however_many_films(
    client, db, django_assert_max_num_queries
):
    film("Eins", 2000, 3)
    with django_assert_max_num_queries(6) as few:
        client.get("/bestenliste/")
    for n in range(25):
        film(f"Film {n}", 2000, 4, 5)
    with django_assert_max_num_queries(6) as many:
        assert len(titles(client)) == 20
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_list_shows_the_best_up_to_its_cap_and_says_how_to_see_more(client, db, monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "cap", 20)  # a page's worth, as 1,000 are 50
    drama = Genre.objects.create(name="Drama", slug="drama")
    for n in range(25):
        film(f"Film {n:02}", 2000, 1 + n % 5, genres=[drama] if n < 10 else [])
    best = page_text(client.get("/bestenliste/"))
    assert len(film_card_titles(best)) == 20 and "Seite 1 von" not in visible_text(best)
    assert "Die Bestenliste zeigt die besten 20 Filme" in visible_text(best)
    assert film_card_titles(page_text(client.get("/bestenliste/", {"seite": 2}))) == (
        film_card_titles(best)
    )
    dramas = page_text(client.get("/bestenliste/", {"genre": "drama"}))
    assert len(film_card_titles(dramas)) == 10 and "Die Bestenliste zeigt" not in dramas


def ranked(client) -> list[str]:
    """The whole list's titles, which the Drama list (read from the genre's listing) must
    give alike: every film here is a drama."""
    everything = titles(client)
    assert titles(client, genre="drama") == everything
    return everything


def stars(client, **params) -> str:
    return visible_text(page_text(client.get("/bestenliste/", params)))


def test_the_list_follows_reviews_withdrawn_rerated_moved_and_deleted(client, db):
    drama = Genre.objects.create(name="Drama", slug="drama")
    first, second = film("Erster", 2000, 4, genres=[drama]), film("Zweiter", 2000, genres=[drama])
    [withdrawn] = first.reviews.all()
    withdrawn.status = "draft"
    withdrawn.save()
    assert ranked(client) == []
    withdrawn.status = "published"
    withdrawn.rating = 2
    withdrawn.save()
    assert "2,0 von 5 Sternen · 1 Kritik" in stars(client, genre="drama")
    withdrawn.film = second
    withdrawn.save()
    assert ranked(client) == ["Zweiter"]
    review(first, 5)
    withdrawn.delete()
    assert ranked(client) == ["Erster"]
    assert "5,0 von 5 Sternen · 1 Kritik" in stars(client, genre="drama")


def test_a_genres_list_follows_its_films_titles_years_genres_and_publication(client, db):
    drama = Genre.objects.create(name="Drama", slug="drama")
    one, other = film("A", 1994, 4, genres=[drama]), film("B", 1995, 4, genres=[drama])
    assert titles(client, genre="drama", jahrzehnt=1990) == ["A", "B"]
    one.title = "C"  # the tie goes to the title
    one.save()
    assert titles(client, genre="drama", jahrzehnt=1990) == ["B", "C"]
    one.year = 2004
    one.save()
    assert titles(client, genre="drama", jahrzehnt=1990) == ["B"]
    assert titles(client, genre="drama", jahrzehnt=2000) == ["C"]
    other.status = "draft"
    other.save()
    assert titles(client, genre="drama") == ["C"]
    other.status = "published"
    other.save()
    one.genres.clear()
    assert titles(client, genre="drama") == ["B"]
    assert titles(client) == ["B", "C"]
