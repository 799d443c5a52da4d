"""The API's rules as the pages keep them: cached with an ETag, open to every origin,
documented by a valid OpenAPI 3.1 schema with a German description of each endpoint."""

import datetime
from urllib.parse import urlencode

import pytest
from django.utils import timezone
from openapi_spec_validator import validate

from filmdb.demo import FILM_SLUG
from films.models import Film

DETAIL = f"/api/v1/filme/{FILM_SLUG}/"


def test_the_schema_is_valid_openapi_3_1_and_describes_each_endpoint_in_german(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert schema["openapi"].startswith("3.1")
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert len(operations) >= 3
    for operation in operations:
        assert operation["summary"] and operation["description"]
        assert " der " in f" {operation['description']} " or " die " in operation["description"]


def test_the_docs_page_serves_its_viewer_from_the_site(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn." not in html


def test_a_repeat_with_the_etag_is_304(demo_film, api_get):
    first = api_get(DETAIL)
    assert first["ETag"]
    assert "no-cache" in first["Cache-Control"]
    again = api_get(DETAIL, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""


def test_a_change_to_the_film_retires_the_cached_answer_and_its_etag(demo_film, api_get):
    first = api_get(DETAIL)
    demo_film.distributor = "Ein anderer Verleih"
    demo_film.save()
    again = api_get(DETAIL, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert again.json()["distributor"] == "Ein anderer Verleih"
    assert again["ETag"] != first["ETag"]


def test_a_withdrawn_film_is_404_at_once_though_its_answer_was_cached(demo_film, api_get):
    assert api_get(DETAIL).status_code == 200
    demo_film.status = Film.Status.DRAFT
    demo_film.save()
    assert api_get(DETAIL).status_code == 404


@pytest.mark.parametrize(
    "path", [DETAIL, "/api/v1/filme/?darsteller=cotillard", "/api/v1/filme/gibtsnicht/"]
)
def test_every_origin_may_read_answers_and_errors(demo_film, api_get, path):
    assert api_get(path)["Access-Control-Allow-Origin"] == "*"
    # The cached copy keeps the header too.
    assert api_get(path)["Access-Control-Allow-Origin"] == "*"


def test_a_head_request_is_answered_like_a_get(demo_film, client):
    response = client.head("/api/v1/filme/?darsteller=cotillard")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")


def test_the_schema_lists_each_endpoint_once_as_a_get(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {method for operations in paths.values() for method in operations} == {"get"}


def test_answers_are_utf8_as_written(demo_film, api_get):
    assert "Stéphanie".encode() in api_get(DETAIL).content


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/filme/rost und knochen/",
        "/api/v1/filme/%C3%A4%07/",
        "/api/v1/filme/%00/",
        "/api/v1/personen/marion cotillard/",
        "/api/v1/kinostarts/%00/",
    ],
)
def test_an_address_no_route_matches_is_404_as_problem_json_not_the_sites_page(db, api_get, path):
    response = api_get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"]
    assert response["Access-Control-Allow-Origin"] == "*"


def test_an_unknown_api_address_is_404_as_problem_json(db, client):
    response = client.get("/api/v1/gibtsnicht/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_the_sites_pages_keep_their_html_404(db, client):
    response = client.get("/filme/rost und knochen/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_the_schemas_examples_find_the_demo_data(demo_film, client, api_get):
    """Each operation asked with its parameters' examples (as the docs page fills them in)
    answers with something: the demo film, Marion Cotillard, the week of its Kinostart.
    The changes feed's `seit` has no fixed example (it may lie 14 days back at most): an
    hour ago finds the demo film, stored by the fixture."""
    an_hour_ago = (timezone.now() - datetime.timedelta(hours=1)).isoformat()
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for template, operations in paths.items():
        parameters = operations["get"]["parameters"]
        path = template
        query = []
        for parameter in parameters:
            if parameter["name"] == "seit":
                query.append(("seit", an_hour_ago))
            if "examples" not in parameter:
                continue
            [example] = [example["value"] for example in parameter["examples"].values()]
            if parameter["in"] == "path":
                path = path.replace("{" + parameter["name"] + "}", example)
            else:
                values = example if isinstance(example, list) else [example]
                query += [(parameter["name"], value) for value in values]
        assert "{" not in path, f"{template} has no example for a path parameter"
        response = api_get(f"{path}?{urlencode(query)}" if query else path)
        assert response.status_code in (200, 302), (path, query, response.status_code)
        if response.status_code == 200 and "results" in response.json():
            assert response.json()["results"], (path, query)


@pytest.mark.parametrize("path", ["/api/v1/filme/", "/api/v1/personen/", "/api/v1/bestenliste/"])
def test_every_list_with_pages_documents_its_page_parameter(client, db, path):
    operation = client.get("/api/v1/openapi.json").json()["paths"][path]["get"]
    assert "seite" in [parameter["name"] for parameter in operation["parameters"]]


def test_the_schema_documents_the_304_and_the_headers_every_answer_carries(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for operations in paths.values():
        responses = operations["get"]["responses"]
        assert "ETag" in responses["304"]["headers"]
        if "200" in responses:  # not the IMDb id's, which only redirects
            assert "ETag" in responses["200"]["headers"]
        for status, response in responses.items():
            if status != "304":
                assert "Access-Control-Allow-Origin" in response["headers"], status
