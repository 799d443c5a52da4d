import pytest
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.test.utils import CaptureQueriesContext

from filmdb.demo import FILM_SLUG
from filmdb.pages import search
from films.models import Film
from people.models import Credit, PersonQuerySet

SEARCH = "/api/v1/filme/"


def slugs(response) -> list[str]:
    return [film["slug"] for film in response.json()["results"]]


def test_a_director_and_an_actor_find_the_demo_film(demo_film, api_get):
    response = api_get(SEARCH, {"regie": "audiard", "darsteller": "cotillard"})
    assert response.status_code == 200
    [film] = response.json()["results"]
    assert film["slug"] == FILM_SLUG
    assert film["url"] == f"http://testserver/filme/{FILM_SLUG}/"
    assert film["api_url"] == f"http://testserver/api/v1/filme/{FILM_SLUG}/"
    assert [person["name"] for person in film["directors"]] == ["Jacques Audiard"]
    assert film["cast"][0]["name"] == "Marion Cotillard"


def test_actors_repeat_and_all_must_act_in_the_film(demo_film, api_get):
    both = api_get(f"{SEARCH}?darsteller=cotillard&darsteller=schoenaerts")
    assert slugs(both) == [FILM_SLUG]
    other = api_get(f"{SEARCH}?darsteller=cotillard&darsteller=audiard")
    assert slugs(other) == []


def test_search_by_title_year_genre_and_fsk_is_the_sites(demo_film, api_get):
    fsk = str(demo_film.fsk)
    params = {"q": "rost und knochen", "jahr": "2012", "genre": "drama", "fsk": fsk}
    assert slugs(api_get(SEARCH, params)) == [FILM_SLUG]
    assert FILM_SLUG not in slugs(api_get(SEARCH, {**params, "jahr": "2013"}))


def test_a_draft_is_never_found(make_film, make_person, api_get):
    film = make_film(title="Geheimprojekt", status=Film.Status.DRAFT)
    Credit.objects.create(film=film, person=make_person("Greta Geheim"), role=Credit.Role.DIRECTOR)
    assert slugs(api_get(SEARCH, {"q": "geheimprojekt"})) == []
    assert slugs(api_get(SEARCH, {"regie": "greta geheim"})) == []


def test_lists_have_20_films_a_page_and_link_the_next(make_film, api_get):
    for n in range(21):
        make_film(title=f"Film {n}", year=2000 + n, status=Film.Status.PUBLISHED)
    first = api_get(SEARCH, {"sortierung": "aelteste"}).json()
    assert len(first["results"]) == 20
    assert first["results"][0]["year"] == 2000
    assert first["next"] == "http://testserver/api/v1/filme/?sortierung=aelteste&seite=2"
    second = api_get(SEARCH, {"sortierung": "aelteste", "seite": "2"}).json()
    assert [film["year"] for film in second["results"]] == [2020]
    assert second["next"] is None


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"jahr": "zwölf"}, "jahr_von"),
        ({"jahr_von": "2013", "jahr_bis": "2012"}, "jahr_bis"),
        ({"fsk": "7"}, "fsk"),
        ({"genre": "gibtsnicht"}, "genre"),
        ({"sortierung": "beliebt"}, "sortierung"),
        ({"darsteller": "%"}, "darsteller"),
        ({"regie": ["a1", "b2", "c3", "d4", "e5", "f6"]}, "regie"),
        ({"q": "x" * 201}, "q"),
        ({"q": "rost\x00"}, "q"),
        ({"regi": "audiard"}, "regi"),
        ({"seite": "0"}, "seite"),
        ({"seite": "zwei"}, "seite"),
        ({"seite": "2"}, "seite"),
        ({"jahr": "2012", "jahr_von": "2010"}, "jahr"),
    ],
)
def test_a_bad_parameter_is_400_as_problem_json_naming_it(demo_film, api_get, params, parameter):
    response = api_get(SEARCH, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 400
    assert parameter in problem["errors"]
    assert problem["detail"].startswith("Prüf deine Parameter.")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"fsk": "7"}, "Die FSK gibt es ab 0, ab 6, ab 12, ab 16 und ab 18."),
        ({"genre": "gibtsnicht"}, "Dieses Genre kennen wir nicht."),
        ({"jahr_bis": "99999"}, "Gib ein Jahr bis 2100 an."),
        ({"sortierung": "beliebt"}, "Sortieren kannst du nach „Relevanz“"),
    ],
)
def test_a_bad_choice_is_explained_in_the_detail(demo_film, api_get, params, message):
    assert message in api_get(SEARCH, params).json()["detail"]


def test_an_empty_search_lists_the_newest_films(demo_film, api_get):
    results = api_get(SEARCH).json()["results"]
    assert FILM_SLUG in [film["slug"] for film in results]
    years = [film["year"] for film in results]
    assert years == sorted(years, reverse=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.parametrize("path", ["/api/v1/filme/?q=rost", "/api/v1/personen/?q=cotillard"])
def test_a_search_that_runs_too_long_is_503_as_problem_json(
    demo_film, api_get, settings, monkeypatch, path
):
    settings.SEARCH_TIMEOUT_MS = 100
    # A condition on no row: PostgreSQL checks it once, before reading any.
    slow = RawSQL("(SELECT true FROM pg_sleep(0.5))", [], output_field=BooleanField())
    monkeypatch.setattr(search, "search", lambda films, *args: films.filter(slow))
    monkeypatch.setattr(PersonQuerySet, "search", lambda people, query: people.filter(slow))
    response = api_get(path)
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert "nach 0,1 Sekunden abgebrochen" in response.json()["detail"]
    assert api_get("/api/v1/filme/", {"darsteller": "cotillard"}).status_code == 200  # goes on
    assert api_get(path).status_code == 503  # and is never cached


def test_a_search_reads_in_a_fixed_number_of_queries(demo_film, make_film, api_get, settings):
    settings.PAGE_CACHE_SECONDS = 0  # the view's own queries (as for the film detail)
    audiard = demo_film.credits.get(role=Credit.Role.DIRECTOR).person

    def queries_for_audiard() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            response = api_get(SEARCH, {"regie": "audiard"})
        return len(response.json()["results"]), len(captured)

    one, one_queries = queries_for_audiard()
    for year in range(2000, 2025):
        film = make_film(title=f"Film {year}", year=year, status=Film.Status.PUBLISHED)
        Credit.objects.create(film=film, person=audiard, role=Credit.Role.DIRECTOR)
    many, many_queries = queries_for_audiard()
    assert (one, many) == (1, 20)  # a page of twenty
    assert one_queries == many_queries
