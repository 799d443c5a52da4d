import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from filmdb.demo import FILM_SLUG
from films.models import Film, FilmRedirect
from people.models import Credit, Person

DETAIL = f"/api/v1/filme/{FILM_SLUG}/"


def credits_of(data: dict, name: str) -> list[dict]:
    return [credit for credit in data["credits"] if credit["person"]["name"] == name]


def test_film_detail_shows_the_demo_film_with_its_german_facts(demo_film, api_get):
    data = api_get(DETAIL).json()
    assert data["title"] == "Der Geschmack von Rost und Knochen"
    assert data["original_title"] == "De rouille et d'os"
    assert data["year"] == 2012
    assert data["imdb_id"] == "tt2053425"
    assert data["url"] == f"http://testserver/filme/{FILM_SLUG}/"
    assert [genre["slug"] for genre in data["genres"]] == ["drama"]


def test_film_detail_lists_marion_cotillard_as_cast_with_her_character(demo_film, api_get):
    data = api_get(DETAIL).json()
    [credit] = credits_of(data, "Marion Cotillard")
    assert credit["role"] == "cast"
    assert credit["character"] == "Stéphanie"
    assert credit["person"]["slug"] == "marion-cotillard"


def test_film_detail_lists_a_person_once_for_each_role(demo_film, api_get):
    data = api_get(DETAIL).json()
    roles = [credit["role"] for credit in credits_of(data, "Jacques Audiard")]
    assert roles == ["director", "writer"]


def test_film_detail_names_the_german_voice_beside_the_actor(demo_film, api_get):
    cast = Credit.objects.get(film=demo_film, person__name="Marion Cotillard")
    voice = Person.objects.create(name="Bettina Weiß")
    Credit.objects.create(
        film=demo_film,
        person=voice,
        role=Credit.Role.DUBBING,
        character=cast.character,
        voices=cast,
    )
    data = api_get(DETAIL).json()
    [credit] = credits_of(data, "Marion Cotillard")
    assert credit["german_voices"] == [{"slug": voice.slug, "name": "Bettina Weiß"}]
    assert not credits_of(data, "Bettina Weiß"), "a voice is listed with its actor only"


def test_film_detail_carries_reviews_with_verdict_and_offers_through_the_click_counter(
    demo_film, api_get
):
    data = api_get(DETAIL).json()
    [review] = data["reviews"]
    assert review["verdict"]
    assert review["link"].startswith(f"http://testserver/filme/{FILM_SLUG}/#kritik-")
    assert data["offers"]
    stored_offers = demo_film.offers.order_by("position", "pk")
    for offer, stored in zip(data["offers"], stored_offers, strict=True):
        assert offer["link"] == f"http://testserver/weiter/{stored.pk}/"
        assert offer["provider"] == stored.provider


def test_film_detail_has_a_rating_only_once_critics_rated_the_film(make_film, api_get):
    make_film(title="Ohne Kritik", slug="ohne-kritik", status=Film.Status.PUBLISHED)
    assert api_get("/api/v1/filme/ohne-kritik/").json()["rating"] is None


def test_draft_film_is_404_as_problem_json(make_film, api_get):
    make_film(title="Entwurf", slug="entwurf", status=Film.Status.DRAFT)
    response = api_get("/api/v1/filme/entwurf/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404


def test_scheduled_film_is_404_until_its_moment(make_film, api_get, clock):
    from datetime import timedelta

    from django.utils import timezone

    make_film(
        title="Bald",
        slug="bald",
        status=Film.Status.PUBLISHED,
        published_at=timezone.now() + timedelta(hours=1),
    )
    assert api_get("/api/v1/filme/bald/").status_code == 404
    clock.shift(timedelta(hours=2))
    assert api_get("/api/v1/filme/bald/").status_code == 200


def test_film_detail_reads_in_one_query_however_many_credits(demo_film, api_get, settings):
    # The view's own queries: without the page cache, which looks up the next scheduled
    # publication once for each content version, and after the process's first request,
    # which compiles the query (and on SQLite asks once whether it has JSON).
    settings.PAGE_CACHE_SECONDS = 0
    api_get(DETAIL)
    with CaptureQueriesContext(connection) as few:
        api_get(DETAIL)
    for n in range(30):
        Credit.objects.create(
            film=demo_film,
            person=Person.objects.create(name=f"Statist {n}"),
            role=Credit.Role.CAST,
            character="Gast",
        )
    with CaptureQueriesContext(connection) as many:
        response = api_get(DETAIL)
    assert len(response.json()["credits"]) >= 30
    assert len(few) == len(many) == 1


@pytest.mark.parametrize("imdb_id", ["tt2053425"])
def test_an_imdb_id_redirects_to_the_films_api_address(demo_film, api_get, imdb_id):
    response = api_get(f"/api/v1/filme/imdb/{imdb_id}/")
    assert response.status_code == 302
    assert response["Location"] == DETAIL


def test_an_unknown_imdb_id_is_404(demo_film, api_get):
    assert api_get("/api/v1/filme/imdb/tt0000001/").status_code == 404


@pytest.mark.parametrize("imdb_id", ["nm0041952", "tt123", "2053425", "tt" + "1" * 20])
def test_a_malformed_imdb_id_is_400_with_a_german_detail(db, api_get, imdb_id):
    response = api_get(f"/api/v1/filme/imdb/{imdb_id}/")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "tt2053425" in response.json()["detail"]


def test_the_imdb_redirect_does_not_reveal_a_draft(make_film, api_get):
    make_film(title="Entwurf", slug="entwurf", imdb_id="tt7654321", status=Film.Status.DRAFT)
    assert api_get("/api/v1/filme/imdb/tt7654321/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/filme/%00/",
        f"/api/v1/filme/{FILM_SLUG}%00/",
        "/api/v1/filme/imdb/%00/",
        "/api/v1/personen/%00/",
        "/api/v1/personen/marion-cotillard%00/",
        "/api/v1/kinostarts/2013-01-10%00/",
    ],
)
def test_a_nul_in_an_address_never_reaches_the_database(demo_film, client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 404
    assert not queries.captured_queries


def test_a_films_old_slug_leads_to_its_new_address(demo_film, api_get):
    FilmRedirect.remember(owner=demo_film, old_slug="rost-und-knochen")
    response = api_get("/api/v1/filme/rost-und-knochen/")
    assert response.status_code == 301
    assert response["Location"] == DETAIL


def test_a_drafts_old_slug_stays_404(make_film, api_get):
    draft = make_film(title="Entwurf", slug="entwurf", status=Film.Status.DRAFT)
    FilmRedirect.remember(owner=draft, old_slug="alter-entwurf")
    assert api_get("/api/v1/filme/alter-entwurf/").status_code == 404
