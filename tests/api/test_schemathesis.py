"""Schemathesis: property-based tests generated from the API's own OpenAPI schema. For
each operation it sends the schema's examples, its coverage cases (boundaries, missing
and unexpected parameters, methods the schema does not list) and random requests, and
checks every answer: never a 5xx, and status, content type, headers and body as the
schema documents them (docs/testing.md#schemathesis).

The requests go in-process through Django's WSGI handler, in the test's transaction, on
the demo data with a draft, a film scheduled for later and old slugs beside it; the slugs,
IMDb ids and days that Schemathesis draws come partly from these (DATA), so that it
reaches films, people and weeks, not only 404s.
"""

import datetime
import json

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, settings

from filmdb.api.urls import api
from filmdb.demo import FILM_SLUG
from films.models import Film, FilmRedirect
from people.models import Credit, Person, PersonRedirect

# Random requests per operation, beside the schema's examples and the coverage cases:
# enough to reach every status the fixture's data allows, few enough for the module to
# stay within a minute on the busy 2-core machine (docs/testing.md).
EXAMPLES = 30

DRAFT, SCHEDULED, OLD_FILM_SLUG, OLD_PERSON_SLUG = "entwurf", "bald", "rust-and-bone", "j-audiard"
# What Schemathesis draws from half of the time for these parameters: the fixture's
# objects (which the API shows, redirects, or keeps hidden) and their near misses.
DATA = {
    "slugs": [
        FILM_SLUG,
        OLD_FILM_SLUG,
        DRAFT,
        SCHEDULED,
        "marion-cotillard",
        "jacques-audiard",
        "nora-niemand",
        OLD_PERSON_SLUG,
        "gibt-es-nicht",
    ],
    "imdb-ids": ["tt2053425", "tt7654321", "tt7654322", "tt0000001", "tt20534250", "nm0041952"],
    "days": ["2013-01-10", "2013-01-13", "2030-01-03", "1894-01-04", "2013-02-30", "2013-1-10"],
    "names": ["cotillard", "audiard", "rost und knochen", "ä", "%", "_"],
    "genres": ["drama", "komoedie", ""],
    "years": ["2012", "1990", "2010", "0", "-1", "99999"],
}
PARAMETERS = {
    "path.slug": "slugs",
    "path.imdb_id": "imdb-ids",
    "path.day": "days",
    "query.q": "names",
    "query.regie": "names",
    "query.darsteller": "names",
    "query.genre": "genres",
    "query.jahr": "years",
    "query.jahrzehnt": "years",
}

# The checks that mean "no 5xx, every answer as documented", a 4xx for what the schema
# does not allow, and 405 with a true `Allow` for a method it does not list. Left out,
# with the reasons in docs/testing.md: positive_data_acceptance, the stateful and the
# auth checks, max_response_time.
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "unsupported_method",
    "allow_header_conformance",
]

config = schemathesis.Config.from_dict(
    {
        # One seed for every run (pytest-xdist's workers would else share a random one).
        "seed": 32,
        "checks": {"enabled": False} | {name: {"enabled": True} for name in CHECKS},
        "generation": {"mode": "all"},
        "dictionaries": {name: {"values": values} for name, values in DATA.items()},
        "parameters": {
            parameter: {"dictionary": dictionary, "probability": 0.5}
            for parameter, dictionary in PARAMETERS.items()
        },
    }
)
# The schema as /api/v1/openapi.json serves it, built without a request: collecting the
# tests asks neither the database nor the cache anything.
schema = schemathesis.openapi.from_dict(
    json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1"))), config=config
)


@pytest.fixture
def application(demo_film):
    """The site as a WSGI server runs it, on the demo data and its neighbours, without
    the API's limit per address: its 429 would cut the run short."""
    draft = Film.objects.create(
        title="Entwurf", year=2020, slug=DRAFT, imdb_id="tt7654321", status=Film.Status.DRAFT
    )
    Credit.objects.create(
        film=draft, person=Person.objects.create(name="Nora Niemand"), role=Credit.Role.CAST
    )
    Film.objects.create(
        title="Bald",
        year=2030,
        slug=SCHEDULED,
        imdb_id="tt7654322",
        release_date=datetime.date(2030, 1, 3),
        status=Film.Status.PUBLISHED,
        published_at=timezone.now() + datetime.timedelta(days=1),
    )
    FilmRedirect.remember(owner=demo_film, old_slug=OLD_FILM_SLUG)
    PersonRedirect.remember(
        owner=Person.objects.get(slug="jacques-audiard"), old_slug=OLD_PERSON_SLUG
    )
    # A WSGI server closes the database connection at the end of each request; here the
    # requests share the test's, inside its transaction (as Django's test client does).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with override_settings(API_RATE_LIMIT=0):
            yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    # The same requests on every run and every machine, and no example database.
    derandomize=True,
    database=None,
    deadline=None,
    # The data is made once for each operation's examples, which only read it.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_answer_is_as_documented_and_none_is_a_server_error(case, application):
    response = case.call_and_validate(app=application)
    if case.method == "GET":
        # The schema lists the GET only; the same request as a HEAD (ProblemsAPI) must
        # answer with the same status and content type.
        head = case.derive()
        head.method = "HEAD"
        answer = head.call(app=application)
        assert (answer.status_code, answer.headers.get("content-type")) == (
            response.status_code,
            response.headers.get("content-type"),
        ), f"HEAD {answer.request.url}"
