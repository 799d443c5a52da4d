"""Genre and year pages: every genre with its number of films, and a genre's or a
year's published films, newest first, 20 a page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from films.models import Film, Genre, GenreListing
from tests.pages import film_card_titles, json_ld, page_text, visible_text


@pytest.fixture
def drama(db) -> Genre:
    return Genre.objects.create(name="Drama", slug="drama")


def film(title: str, year: int, *genres: Genre, status: str = "published") -> Film:
    made = Film.objects.create(title=title, year=year, status=status)
    made.genres.add(*genres)
    return made


def test_the_genres_page_counts_each_genres_published_films(client, drama):
    comedy = Genre.objects.create(name="Komödie", slug="komoedie")
    Genre.objects.create(name="Western", slug="western")
    film("Eins", 2001, drama)
    film("Zwei", 2002, drama, comedy)
    film("Entwurf", 2003, drama, status="draft")
    text = visible_text(page_text(client.get("/genres/")))
    assert "Drama (2 Filme)" in text and "Komödie (1 Film)" in text and "Western (0 Filme)" in text
    assert 'href="/genre/drama/"' in page_text(client.get("/genres/"))


def test_a_genres_page_lists_its_published_films_newest_first(client, drama):
    film("Alt", 1990, drama)
    film("Neu", 2020, drama)
    film("Anderes Genre", 2021)
    film("Entwurf", 2022, drama, status="draft")
    response = client.get("/genre/drama/")
    assert film_card_titles(page_text(response)) == ["Neu", "Alt"]
    assert "2 Filme, die neuesten zuerst" in visible_text(page_text(response))
    [data] = json_ld(page_text(response))
    assert [item["name"] for item in data["itemListElement"]] == ["Neu", "Alt"]


def test_a_genres_films_come_20_a_page(client, drama):
    for n in range(25):
        film(f"Film {n:02}", 2000 + n, drama)
    first = film_card_titles(page_text(client.get("/genre/drama/")))
    second = page_text(client.get("/genre/drama/", {"seite": 2}))
    assert len(first) == 20 and first[0] == "Film 24"
    assert film_card_titles(second) == [f"Film {n:02}" for n in range(4, -1, -1)]
    assert '<link rel="canonical" href="http://testserver/genre/drama/?seite=2">' in second


def test_a_years_page_lists_the_films_of_that_year(client, db):
    film("Neunzehnhundertneunzig", 1990)
    film("Zweitausendzwölf A", 2012)
    film("Zweitausendzwölf B", 2012)
    titles = film_card_titles(page_text(client.get("/jahr/2012/")))
    assert sorted(titles) == ["Zweitausendzwölf A", "Zweitausendzwölf B"]
    assert "Filme aus dem Jahr 2012" in page_text(client.get("/jahr/2012/"))


@pytest.mark.parametrize(
    "url", ["/genre/gibt-es-nicht/", "/jahr/zwanzig/", "/jahr/1869/", "/jahr/2100/", "/jahr/0/"]
)
def test_an_unknown_genre_or_an_implausible_year_is_not_found(client, db, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Seite nicht gefunden" in page_text(response)


def test_a_bad_page_number_shows_the_first_or_last_page_not_an_error(client, drama):
    film("Eins", 2001, drama)
    for seite in ["abc", "-1", "999"]:
        response = client.get("/genre/drama/", {"seite": seite})
        assert response.status_code == 200
        assert film_card_titles(page_text(response)) == ["Eins"]


def test_genre_and_year_pages_take_the_same_few_queries_however_many_films(
    client, drama, django_assert_max_num_queries
):
    film("Eins", 2001, drama)
    with django_assert_max_num_queries(6) as few:
        client.get("/genre/drama/")
    for n in range(30):
        film(f"Film {n}", 2001, drama)
    with django_assert_max_num_queries(6) as many:
        client.get("/genre/drama/")
    assert len(many.captured_queries) == len(few.captured_queries)
    with django_assert_max_num_queries(6):
        client.get("/jahr/2001/")
    with django_assert_max_num_queries(6):
        client.get("/genres/")


def test_the_sitemap_lists_genres_with_films_and_the_years_of_films(client, drama):
    Genre.objects.create(name="Western", slug="western")
    film("Eins", 2001, drama)
    film("Zwei", 2001)
    film("Drei", 1999)
    film("Entwurf", 1950, drama, status="draft")
    Film.objects.create(title="Ohne Jahr", status="published")
    later = timezone.now() + datetime.timedelta(days=1)
    Film.objects.create(title="Geplant", year=1980, status="published", published_at=later)
    index = page_text(client.get("/sitemap.xml"))
    assert "sitemap-genres.xml" in index and "sitemap-jahre.xml" in index
    genres = page_text(client.get("/sitemap-genres.xml"))
    assert genres.count("<loc>") == 1 and "http://testserver/genre/drama/" in genres
    years = page_text(client.get("/sitemap-jahre.xml"))
    assert years.count("<loc>") == 2
    assert "http://testserver/jahr/1999/" in years and "http://testserver/jahr/2001/" in years


def test_the_film_page_links_its_genres_and_its_year(client, demo_film):
    html = page_text(client.get(demo_film.get_absolute_url()))
    assert '<dd><a href="/genre/drama/">Drama</a></dd>' in html
    assert '<dd><a href="/jahr/2012/">2012</a></dd>' in html
    assert "Der Geschmack von Rost und Knochen" in film_card_titles(
        page_text(client.get("/genre/drama/"))
    )


def genre_counts(client) -> str:
    return visible_text(page_text(client.get("/genres/")))


def test_the_genre_counts_follow_films_published_withdrawn_regenred_and_deleted(client, drama):
    comedy = Genre.objects.create(name="Komödie", slug="komoedie")
    one = film("Eins", 2001, status="draft")
    one.genres.add(drama)
    assert "Drama (0 Filme)" in genre_counts(client)
    one.status = "published"
    one.save()
    assert "Drama (1 Film)" in genre_counts(client)
    one.genres.set([comedy])
    assert "Drama (0 Filme)" in genre_counts(client) and "Komödie (1 Film)" in genre_counts(client)
    drama.films.add(one, film("Zwei", 2002))
    assert "Drama (2 Filme)" in genre_counts(client)
    one.genres.clear()
    assert "Drama (1 Film)" in genre_counts(client) and "Komödie (0 Filme)" in genre_counts(client)
    comedy.films.add(one)
    one.delete()
    assert "Drama (1 Film)" in genre_counts(client) and "Komödie (0 Filme)" in genre_counts(client)
    drama.films.clear()
    assert "Drama (0 Filme)" in genre_counts(client)


def genre_queries(captured: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in captured.captured_queries if "films_genre" in query["sql"]]


def counted(captured: CaptureQueriesContext) -> list[str]:
    return [sql for sql in genre_queries(captured) if sql.startswith('UPDATE "films_genre"')]


def test_an_edit_that_keeps_a_films_publication_counts_no_genre_again(drama):
    one = film("Eins", 2001, drama)
    one.synopsis = "Ein neuer Kurzinhalt."
    with CaptureQueriesContext(connection) as saved:
        one.save()
    # One look at what its listings hold of it, which the edit leaves as it is.
    [looked] = genre_queries(saved)
    assert looked.startswith("SELECT") and "films_genrelisting" in looked
    one.title = "Eins, neu betitelt"  # listed again (the Bestenliste ties by title), not counted
    with CaptureQueriesContext(connection) as retitled:
        one.save()
    assert genre_queries(retitled) and not counted(retitled)
    one.status = "draft"
    with CaptureQueriesContext(connection) as withdrawn:
        one.save()
    assert counted(withdrawn)


def genre_page(client, slug: str = "drama") -> list[str]:
    return film_card_titles(page_text(client.get(f"/genre/{slug}/")))


def test_a_genres_page_follows_its_films_years_genres_publication_and_deletion(client, drama):
    comedy = Genre.objects.create(name="Komödie", slug="komoedie")
    one, two = film("Eins", 2001, drama), film("Zwei", 2002, drama)
    assert genre_page(client) == ["Zwei", "Eins"]
    one.year = 2003
    one.save()
    assert genre_page(client) == ["Eins", "Zwei"]
    one.year = None  # films without a year come last
    one.save()
    assert genre_page(client) == ["Zwei", "Eins"]
    two.status = "draft"
    two.save()
    assert genre_page(client) == ["Eins"]
    two.genres.add(comedy)  # a draft's genres list it nowhere, until it is published
    assert genre_page(client, "komoedie") == []
    two.status = "published"
    two.save()
    assert genre_page(client, "komoedie") == ["Zwei"]
    one.genres.set([comedy])
    assert genre_page(client) == ["Zwei"] and genre_page(client, "komoedie") == ["Zwei", "Eins"]
    drama.films.add(one)
    comedy.films.remove(two)
    assert genre_page(client) == ["Zwei", "Eins"] and genre_page(client, "komoedie") == ["Eins"]
    comedy.films.clear()
    assert genre_page(client, "komoedie") == []
    one.delete()
    assert genre_page(client) == ["Zwei"]
    drama.delete()
    assert client.get("/genre/drama/").status_code == 404
    assert GenreListing.objects.filter(film=two).count() == 0
