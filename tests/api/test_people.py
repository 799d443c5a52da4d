import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from filmdb.demo import FILM_SLUG
from films.models import Film
from people.models import Credit, Person, PersonRedirect


def test_a_name_finds_the_person_with_the_film_they_are_known_from(demo_film, api_get):
    [person] = api_get("/api/v1/personen/", {"q": "cotillard"}).json()["results"]
    assert person["slug"] == "marion-cotillard"
    assert person["name"] == "Marion Cotillard"
    assert person["known_from"] == "Der Geschmack von Rost und Knochen (2012)"
    assert person["api_url"] == "http://testserver/api/v1/personen/marion-cotillard/"


def test_a_person_known_only_from_a_draft_is_not_found(make_film, api_get):
    draft = make_film(title="Entwurf", status=Film.Status.DRAFT)
    Credit.objects.create(
        film=draft, person=Person.objects.create(name="Nora Niemand"), role=Credit.Role.CAST
    )
    assert api_get("/api/v1/personen/", {"q": "niemand"}).json()["results"] == []
    assert api_get("/api/v1/personen/nora-niemand/").status_code == 404


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "%"}, {"q": "x" * 201}, {"name": "x"}])
def test_a_people_search_without_a_name_is_400(db, api_get, params):
    response = api_get("/api/v1/personen/", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_a_person_lists_their_films_by_role_with_the_character(demo_film, api_get):
    person = api_get("/api/v1/personen/jacques-audiard/").json()
    assert person["name"] == "Jacques Audiard"
    assert person["url"] == "http://testserver/personen/jacques-audiard/"
    assert [group["role"] for group in person["filmography"]] == ["director", "writer"]
    [credit] = person["filmography"][0]["credits"]
    assert credit["film"]["slug"] == FILM_SLUG
    assert credit["film"]["api_url"] == f"http://testserver/api/v1/filme/{FILM_SLUG}/"
    actress = api_get("/api/v1/personen/marion-cotillard/").json()
    [cast] = actress["filmography"]
    assert cast["role"] == "cast"
    assert cast["credits"][0]["character"] == "Stéphanie"


def test_a_german_voice_names_the_actor_they_dub(demo_film, api_get):
    cast = Credit.objects.get(film=demo_film, person__name="Marion Cotillard")
    Credit.objects.create(
        film=demo_film,
        person=Person.objects.create(name="Bettina Weiß"),
        role=Credit.Role.DUBBING,
        character=cast.character,
        voices=cast,
    )
    [dubbing] = api_get("/api/v1/personen/bettina-weiss/").json()["filmography"]
    assert dubbing["role"] == "dubbing"
    assert dubbing["credits"][0]["voices"] == {
        "slug": "marion-cotillard",
        "name": "Marion Cotillard",
    }


def test_a_persons_draft_films_are_left_out_of_the_filmography(demo_film, make_film, api_get):
    draft = make_film(title="Geheimes Projekt", status=Film.Status.DRAFT)
    audiard = Person.objects.get(slug="jacques-audiard")
    Credit.objects.create(film=draft, person=audiard, role=Credit.Role.PRODUCER)
    filmography = api_get("/api/v1/personen/jacques-audiard/").json()["filmography"]
    assert "producer" not in [group["role"] for group in filmography]


def test_a_person_reads_in_a_fixed_number_of_queries(demo_film, make_film, api_get, settings):
    settings.PAGE_CACHE_SECONDS = 0  # the view's own queries (as for the film detail)
    with CaptureQueriesContext(connection) as one_film:
        api_get("/api/v1/personen/jacques-audiard/")
    audiard = Person.objects.get(slug="jacques-audiard")
    for year in range(2000, 2010):
        film = make_film(title=f"Film {year}", year=year, status=Film.Status.PUBLISHED)
        Credit.objects.create(film=film, person=audiard, role=Credit.Role.DIRECTOR)
    with CaptureQueriesContext(connection) as many:
        response = api_get("/api/v1/personen/jacques-audiard/")
    assert len(response.json()["filmography"][0]["credits"]) == 11
    assert len(one_film) == len(many) == 2


def test_a_persons_old_slug_leads_to_their_new_address(demo_film, api_get):
    audiard = Person.objects.get(slug="jacques-audiard")
    PersonRedirect.remember(owner=audiard, old_slug="j-audiard")
    response = api_get("/api/v1/personen/j-audiard/")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/personen/jacques-audiard/"
