import re

import pytest
from django.db import connection
from django.db.models.expressions import RawSQL
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from filmdb.lib.folding import folded_condition
from filmdb.lib.page_cache import content_changed
from filmdb.lib.pagination import CappedCountPaginator
from filmdb.pages import search
from filmdb.pages.search import PeopleFound
from films.models import FIRST_FILM_YEAR, AlternativeTitle, Film, Genre
from people.models import Credit, Person
from tests.billing import misbilled
from tests.conftest import empty_cache
from tests.pages import film_card_titles, page_text, visible_text

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")


@pytest.fixture
def catalogue(db, demo_film):
    """The demo film plus films that share people with it, and a few that do not."""

    def film(title, year, **fields):
        return Film.objects.create(title=title, year=year, status="published", **fields)

    def credit(film, name, role, character="", order=0):
        person = Person.objects.filter(name=name).first() or Person.objects.create(name=name)
        return Credit.objects.create(
            film=film, person=person, role=role, character=character, order=order
        )

    films = {"rost": demo_film}
    films["inception"] = film("Inception", 2010, original_title="Inception")
    credit(films["inception"], "Christopher Nolan", "director")
    credit(films["inception"], "Leonardo DiCaprio", "cast", "Cobb", 1)
    credit(films["inception"], "Marion Cotillard", "cast", "Mal", 2)
    films["pate"] = film("Der Pate", 1972, original_title="The Godfather")
    AlternativeTitle.objects.create(film=films["pate"], title="Il padrino", region="IT")
    credit(films["pate"], "Francis Ford Coppola", "director")
    films["boot"] = film("Das Boot", 1981, original_title="Das Boot")
    credit(films["boot"], "Wolfgang Petersen", "director")
    credit(films["boot"], "Jürgen Prochnow", "cast", "Der Alte", 1)
    credit(films["boot"], "Herbert Grönemeyer", "cast", "Werner", 2)
    films["strasse"] = film("Die Straße", 1954, original_title="La strada")
    credit(films["strasse"], "Federico Fellini", "director")
    films["draft"] = Film.objects.create(title="Cotillard im Entwurf", year=2024)
    credit(films["draft"], "Marion Cotillard", "cast", "Sie selbst")
    return films


def titles(client, **params) -> list[str]:
    response = client.get("/filme/", params)
    assert response.status_code == 200
    return film_card_titles(page_text(response))


def test_darsteller_finds_every_film_of_an_actor_once(client, catalogue):
    assert titles(client, darsteller="Cotillard") == [
        "Der Geschmack von Rost und Knochen",
        "Inception",
    ]


def test_repeated_darsteller_finds_films_with_all_of_them(client, catalogue):
    both = titles(client, darsteller=["Cotillard", "Schoenaerts"])
    assert both == ["Der Geschmack von Rost und Knochen"]
    assert titles(client, darsteller=["Cotillard", "DiCaprio"]) == ["Inception"]
    assert titles(client, darsteller=["Schoenaerts", "DiCaprio"]) == []


def test_regie_and_darsteller_combine_on_the_same_film(client, catalogue):
    assert titles(client, regie="Audiard", darsteller="Cotillard") == [
        "Der Geschmack von Rost und Knochen"
    ]
    assert titles(client, regie="Nolan", darsteller="Cotillard") == ["Inception"]
    assert titles(client, regie="Audiard", darsteller="DiCaprio") == []


def test_regie_does_not_find_a_film_someone_only_acts_in(client, catalogue):
    assert titles(client, regie="Cotillard") == []
    assert titles(client, regie="Audiard") == ["Der Geschmack von Rost und Knochen"]


@pytest.mark.parametrize(
    "name",
    ["celine sallette", "Céline Sallette", "SALLETTE", "Sallette Céline", "sall", "CELINE"],
)
def test_names_match_without_case_accents_or_order(client, catalogue, name):
    assert titles(client, darsteller=name) == ["Der Geschmack von Rost und Knochen"]


def test_each_word_typed_must_begin_a_word_of_the_name_or_title(client, catalogue):
    assert titles(client, darsteller="sall") == ["Der Geschmack von Rost und Knochen"]
    assert titles(client, darsteller="lette") == []  # inside "Sallette" only
    assert titles(client, q="knoch") == ["Der Geschmack von Rost und Knochen"]
    assert titles(client, q="nochen") == []
    assert titles(client, q="ro kn") == ["Der Geschmack von Rost und Knochen"]  # short words


@pytest.mark.parametrize(
    "name",
    ["Jürgen Prochnow", "Jurgen", "Juergen prochnow", "grönemeyer", "groenemeyer", "Gronemeyer"],
)
def test_umlauts_match_in_every_spelling(client, catalogue, name):
    assert titles(client, darsteller=name) == ["Das Boot"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Rost Knochen", "Der Geschmack von Rost und Knochen"),
        ("rouille", "Der Geschmack von Rost und Knochen"),
        ("godfather", "Der Pate"),
        ("padrino", "Der Pate"),
        ("Strasse", "Die Straße"),
        ("straße", "Die Straße"),
        ("Coppola", "Der Pate"),
        ("Prochnow", "Das Boot"),
    ],
)
def test_q_searches_titles_alternative_titles_and_people(client, catalogue, query, expected):
    assert titles(client, q=query) == [expected]


def test_a_film_matching_through_several_credits_appears_once(client, catalogue):
    assert titles(client, q="Audiard") == ["Der Geschmack von Rost und Knochen"]
    assert titles(client, q="marion") == ["Der Geschmack von Rost und Knochen", "Inception"]


def test_drafts_are_never_found(client, catalogue):
    assert "Cotillard im Entwurf" not in titles(client, q="Cotillard")
    assert "Cotillard im Entwurf" not in titles(client, darsteller="Cotillard")


def test_q_ranks_exact_and_prefix_title_matches_first(client, catalogue):
    Film.objects.create(title="Das Boot ist voll", year=2020, status="published")
    Film.objects.create(title="Ein Boot für alle", year=2022, status="published")
    # The exact title first although it is the oldest, then titles starting with it.
    assert titles(client, q="Das Boot") == ["Das Boot", "Das Boot ist voll"]
    assert titles(client, q="das boot ist") == ["Das Boot ist voll"]


def test_without_q_newest_first_and_other_orders(client, catalogue):
    newest = titles(client)
    assert newest[:3] == ["Der Geschmack von Rost und Knochen", "Inception", "Das Boot"]
    assert titles(client, sortierung="aelteste")[:2] == ["Die Straße", "Der Pate"]
    by_title = titles(client, sortierung="titel")
    assert by_title == sorted(by_title)


def chosen_order(client, **params) -> str:
    """The order the search form shows as chosen."""
    html = page_text(client.get("/filme/", params))
    select = re.search(r'<select name="sortierung".*?</select>', html, re.DOTALL).group()
    return re.search(r'<option value="([^"]*)" selected>', select).group(1)


def test_without_sortierung_the_form_shows_the_order_the_results_are_in(client, catalogue):
    assert chosen_order(client) == "neueste"
    assert titles(client) == titles(client, sortierung="neueste")
    Film.objects.create(title="Das Boot ist voll", year=2020, status="published")
    assert chosen_order(client, q="Das Boot") == "relevanz"
    assert titles(client, q="Das Boot") == titles(client, q="Das Boot", sortierung="relevanz")
    assert titles(client, q="Das Boot") != titles(client, q="Das Boot", sortierung="neueste")


def test_a_chosen_order_stays_chosen_in_the_form(client, catalogue):
    assert chosen_order(client, q="Das Boot", sortierung="titel") == "titel"
    assert chosen_order(client, sortierung="aelteste") == "aelteste"


def test_year_genre_and_fsk_filters(client, catalogue):
    assert titles(client, jahr_von=1970, jahr_bis=1985) == ["Das Boot", "Der Pate"]
    assert titles(client, genre="drama") == ["Der Geschmack von Rost und Knochen"]
    assert titles(client, fsk="12") == ["Der Geschmack von Rost und Knochen"]
    Genre.objects.create(name="Krimi", slug="krimi")
    assert titles(client, genre="krimi") == []


def test_results_show_title_year_directors_actors_poster_and_count(client, catalogue):
    html = page_text(client.get("/filme/", {"darsteller": "Cotillard"}))
    text = visible_text(html)
    assert "2 Filme gefunden" in text
    assert "Der Geschmack von Rost und Knochen (2012)" in text
    assert "Regie: Jacques Audiard" in text
    assert "Mit Marion Cotillard, Matthias Schoenaerts, Armand Verdure" in text
    assert "Armand Verdure, Céline Sallette" not in text  # three actors, no more
    assert (
        "Inception (2010) Regie: Christopher Nolan Mit Leonardo DiCaprio, Marion Cotillard" in text
    )
    assert html.count('class="poster') >= 2


def test_twenty_films_a_page_with_page_links(client, db):
    Film.objects.bulk_create(
        Film(
            title=f"Film {n:02}",
            slug=f"film-{n}",
            year=1950 + n,
            status="published",
            published_at=timezone.now(),
        )
        for n in range(45)
    )
    first = client.get("/filme/")
    assert len(film_card_titles(page_text(first))) == 20
    text = visible_text(page_text(first))
    assert "45 Filme gefunden" in text and "Seite 1 von 3" in text
    assert 'href="?sortierung=neueste&amp;seite=2"' in page_text(first)
    last = client.get("/filme/", {"seite": 3})
    assert len(film_card_titles(page_text(last))) == 5


# The time limit's own statements (filmdb/lib/timeouts.py): its transaction, or its
# savepoint inside the tests' transaction, and setting the limit. No data is read.
TIME_LIMIT_STATEMENTS = re.compile(
    r"^(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT|"
    r"ROLLBACK TO SAVEPOINT)\b|set_config\('statement_timeout'"
)


def data_queries(captured) -> list[str]:
    return [q["sql"] for q in captured if not TIME_LIMIT_STATEMENTS.search(q["sql"])]


def test_a_results_page_of_20_films_takes_at_most_4_queries(client, db):
    people = Person.objects.bulk_create(
        Person(name=f"Person {n}", slug=f"person-{n}", search_text=f"person {n}") for n in range(10)
    )
    films = Film.objects.bulk_create(
        Film(
            title=f"Film {n}",
            slug=f"film-{n}",
            year=2000 + n,
            status="published",
            published_at=timezone.now(),
        )
        for n in range(25)
    )
    Credit.objects.bulk_create(  # billed as rebill_films() bills them
        Credit(
            film=film,
            person=person,
            role="director" if i == 0 else "cast",
            order=i,
            billing=0 if i == 0 else i - 1,
        )
        for film in films
        for i, person in enumerate(people)
    )
    assert misbilled() == []
    # As the bulk writers do: the change retires the cached pages and looks up once what
    # is scheduled next, which no page then looks up again.
    content_changed()
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/filme/", {"darsteller": "person"})
    assert len(data_queries(captured.captured_queries)) <= 4
    assert len(captured.captured_queries) <= 4 + (4 if connection.vendor == "postgresql" else 0)
    text = visible_text(page_text(response))
    assert "25 Filme gefunden" in text
    assert text.count("Regie: Person 0") == 20
    assert text.count("Mit Person 1, Person 2, Person 3") == 20


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"jahr_von": "abc"}, "Gib das Jahr als Zahl an, etwa 2012."),
        ({"jahr_von": "2010", "jahr_bis": "2000"}, "„Jahr bis“ darf nicht vor „Jahr von“ liegen."),
        ({"jahr_von": "99999"}, "Gib ein Jahr bis 2100 an."),
        ({"jahr_bis": "1500"}, f"Gib ein Jahr ab {FIRST_FILM_YEAR} an."),
        ({"q": "x" * 10_000}, "höchstens 200 Zeichen"),
        ({"q": "Rost\x00Knochen"}, "Nullzeichen sind nicht erlaubt."),
        ({"darsteller": "Coti\x00llard"}, "Nullzeichen sind nicht erlaubt."),
        ({"genre": "gibtsnicht"}, "Dieses Genre kennen wir nicht."),
        ({"fsk": "99"}, "Die FSK gibt es ab 0, ab 6, ab 12, ab 16 und ab 18."),
        (
            {"sortierung": "beliebt"},
            "Sortieren kannst du nach „Relevanz“, „Neueste zuerst“, „Älteste zuerst“ "
            "oder „Titel (A–Z)“.",
        ),
        ({"darsteller": ["a", "b", "c", "d", "e", "f"]}, "höchstens 5 Namen"),
    ],
)
def test_bad_input_gets_a_german_message_and_no_results(client, catalogue, params, message):
    response = client.get("/filme/", params)
    assert response.status_code == 200
    text = visible_text(page_text(response))
    assert message in text
    assert "Bitte prüfe deine Eingaben." in text
    assert film_card_titles(page_text(response)) == []


@pytest.mark.parametrize(
    ("page", "shown"), [("", 1), ("x", 1), ("1.5", 1), ("0", 2), ("-1", 2), ("99999", 2)]
)
def test_any_page_number_gives_a_page(client, catalogue, page, shown):
    """No number gives the first page, a number out of range the last."""
    for n in range(20):
        Film.objects.create(title=f"Nachtrag {n}", year=1990, status="published")
    html = page_text(client.get("/filme/", {"seite": page}))
    text = visible_text(html)
    assert "25 Filme gefunden" in text
    assert f"Seite {shown} von 2" in text
    assert film_card_titles(html) == titles(client, seite=shown)
    assert len(film_card_titles(html)) == (20 if shown == 1 else 5)


@pytest.mark.parametrize(
    "query", ["%", "_", "%_%", "\\", "'; DROP TABLE films_film; --", "🎬🍿", "   "]
)
def test_odd_queries_are_harmless(client, catalogue, query):
    """Matched as plain text: no wildcard, quote or emoji finds a film it does not name.
    A query of punctuation alone has no words: it asks for a title and lists no film."""
    has_words = re.search(r"[^\W_]", query) is not None
    assert titles(client, q=query, darsteller=query) == []
    assert len(titles(client)) == 5  # every published film
    assert titles(client, q=f"{query} pate") == ([] if has_words else ["Der Pate"])


def test_wildcards_match_themselves_not_everything(client, catalogue):
    Film.objects.create(title="100% Coco", year=2017, status="published")
    assert titles(client, q="100%") == ["100% Coco"]


def test_search_form_fields_keep_their_values(client, catalogue):
    html = page_text(
        client.get("/filme/", {"darsteller": ["Cotillard", "Schoenaerts"], "regie": "Audiard"})
    )
    assert 'name="darsteller" value="Cotillard"' in html
    assert 'name="darsteller" value="Schoenaerts"' in html
    assert 'name="regie" value="Audiard"' in html


@pytest.mark.postgresql
@on_postgresql
def test_a_typo_in_a_name_offers_the_nearest_name(client, catalogue):
    response = client.get("/filme/", {"darsteller": "Cotilard"})
    assert film_card_titles(page_text(response)) == []
    html = page_text(response)
    assert "Meintest du: " in visible_text(html)
    assert "Marion Cotillard</a>?" in html
    assert "darsteller=Marion+Cotillard" in html


@pytest.mark.postgresql
@on_postgresql
def test_an_actor_search_uses_the_indexes_on_names_and_credits(catalogue):
    """With enough rows for real statistics, PostgreSQL finds the actor by the index on the
    words of people's folded names, and their films by the index on credits' person and
    role, instead of reading every person, credit or film."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO people_person (name, slug, birth_place, death_place, bio, photo,"
            " search_text, imdb_snapshot, created_at, updated_at)"
            " SELECT 'Person ' || n, 'person-' || n, '', '', '', '', 'person ' || n, '',"
            " now(), now() FROM generate_series(1, 50000) AS n"
        )
        cursor.execute(
            "INSERT INTO films_film (title, original_title, slug, year, countries, distributor,"
            " synopsis, plot, background, poster, status, published_at, search_text,"
            " imdb_snapshot, created_at, updated_at) SELECT 'Film ' || n, '', 'film-' || n,"
            " 1950 + n % 70, '', '', '', '', '', '', 'published', now(), 'film ' || n, '', now(),"
            " now() FROM generate_series(1, 20000) AS n"
        )
        cursor.execute(
            'INSERT INTO people_credit (film_id, person_id, role, character, "order", billing)'
            " SELECT f.id, p.id, 'cast', '', 0, 0 FROM films_film f"
            " JOIN people_person p ON p.slug = 'person-' || (f.id * 3 % 50000 + 1)"
        )
        cursor.execute("ANALYZE people_person, people_credit, films_film")
    people = Person.objects.filter(folded_condition("cotillard")).values("pk")
    assert "people_person_search_words_idx" in people.explain()
    found = PeopleFound(["cotillard"])
    films = search.with_person(Film.objects.published(), "cast", "cotillard", found).newest()[:20]
    assert "people_credit_person_role_idx" in films.explain()


def test_a_search_with_more_hits_than_the_cap_counts_only_up_to_it(client, db, monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "cap", 40)
    Film.objects.bulk_create(
        Film(
            title=f"Nacht {n}",
            slug=f"nacht-{n}",
            year=2000,
            status="published",
            published_at=timezone.now(),
            search_text=f"nacht {n}",
        )
        for n in range(45)
    )  # fmt: skip
    first = visible_text(page_text(client.get("/filme/", {"q": "nacht"})))
    assert "Mehr als 40 Filme gefunden" in first
    assert "Seite 1 von 2" in first
    last = page_text(client.get("/filme/", {"q": "nacht", "seite": 99}))
    assert len(film_card_titles(last)) == 20  # page 2: films 21 to 40
    assert "grenze deine Suche ein" in visible_text(last)
    monkeypatch.setattr(CappedCountPaginator, "cap", 1000)
    empty_cache()  # the same address: not the page counted under the smaller cap
    exact = visible_text(page_text(client.get("/filme/", {"q": "nacht"})))
    assert "45 Filme gefunden" in exact
    assert "Seite 1 von 3" in exact
    assert "grenze deine Suche ein" not in exact


def test_a_search_reads_at_most_the_cap_and_one_more_and_counts_nothing(client, db, monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "cap", 40)
    Film.objects.bulk_create(
        Film(
            title=f"Nacht {n}",
            slug=f"nacht-{n}",
            year=2000,
            status="published",
            published_at=timezone.now(),
            search_text=f"nacht {n}",
        )
        for n in range(45)
    )  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/filme/", {"q": "nacht"})
    assert "Mehr als 40 Filme gefunden" in visible_text(page_text(response))
    sql = data_queries(queries.captured_queries)
    assert not [query for query in sql if query.startswith("SELECT COUNT(")]
    assert len([query for query in sql if query.endswith("LIMIT 41")]) == 1


@on_postgresql
def test_a_search_that_runs_too_long_ends_with_a_german_page_not_a_500(
    client, catalogue, settings, monkeypatch
):
    settings.SEARCH_TIMEOUT_MS = 100
    slow = RawSQL("SELECT id FROM films_film, pg_sleep(0.5)", [])
    monkeypatch.setattr(
        search, "search", lambda films, *args: films.filter(pk__in=slow), raising=True
    )
    response = client.get("/filme/", {"q": "pate"})
    assert response.status_code == 503
    text = visible_text(page_text(response))
    assert "Diese Suche dauert zu lange" in text
    assert "nach 0,1 Sekunden abgebrochen" in text
    assert client.get("/filme/", {"darsteller": "cotillard"}).status_code == 200  # goes on
    assert client.get("/filme/", {"q": "pate"}).status_code == 503  # and is never cached


@on_postgresql
def test_searches_within_the_time_limit_are_unaffected(client, catalogue, settings):
    settings.SEARCH_TIMEOUT_MS = 2000
    assert titles(client, q="pate") == ["Der Pate"]
