"""Random query strings and path segments against every public URL (the API's too), by GET
and HEAD: never a 5xx, and a NUL in any segment of any public route is a 404 that asks the
database nothing.

Each test sets up the demo data once and then sends Hypothesis's examples as an
anonymous visitor. Visitors' pages are cached whole (filmdb/lib/page_cache.py); the cache is
emptied before each test and keyed by the URL, so every distinct URL reaches its
view once.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from hypothesis import given
from hypothesis import strategies as st

from filmdb.demo import FILM_SLUG
from films.models import FilmRedirect
from people.models import Person, PersonRedirect
from tests.fuzz.strategies import examples, parameters, path_segments, raw_query_strings

pytestmark = pytest.mark.django_db

SEARCH_URLS = [
    "/filme/",
    "/personen/",
    "/personen/autocomplete/",
    "/kritiken/",
    "/",
    "/api/v1/filme/",
    "/api/v1/personen/",
    "/api/v1/bestenliste/",
    "/api/v1/aenderungen/",
]
OTHER_URLS = ["/sitemap.xml", "/sitemap-filme.xml", "/robots.txt", "/affiliate-links/", "/healthz"]
OLD_FILM_SLUG, OLD_PERSON_SLUG = "rust-and-bone-2012", "j-audiard"
# HEAD as well as GET: crawlers and link checkers send it to every page.
methods = st.sampled_from(["get", "head"])


@pytest.fixture
def slugs(demo_film) -> list[str]:
    """Slugs that lead somewhere: the demo film, a person, and old slugs of both."""
    person = Person.objects.get(name="Jacques Audiard")
    FilmRedirect.objects.create(film=demo_film, old_slug=OLD_FILM_SLUG)
    PersonRedirect.objects.create(person=person, old_slug=OLD_PERSON_SLUG)
    return [FILM_SLUG, person.slug, OLD_FILM_SLUG, OLD_PERSON_SLUG]


def answer(client, path: str, method: str = "get", **request) -> None:
    response = getattr(client, method)(path, **request)
    assert response.status_code < 500, (method, path, request, response.status_code)


def public_routes() -> list[str]:
    """Every route of the site as path() wrote it (`/genre/<text:slug>/`), but the
    admin's, which answers a NUL itself (filmdb/admin_site.py), and the media files'."""

    def walk(patterns, prefix: str):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace != "admin":
                    yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry.pattern, RoutePattern):
                yield prefix + str(entry.pattern)

    return list(walk(get_resolver().url_patterns, "/"))


def test_a_nul_in_any_segment_of_any_public_route_is_not_found(client, slugs):
    routes = [route for route in public_routes() if "<" in route]
    assert "/genre/<text:slug>/" in routes and "/filme/<slug:slug>/" in routes
    for route in routes:
        for value in ["%00", "drama%00", f"{slugs[0]}%00", "2013-01-10%00", "1%00", "%00filme"]:
            path = re.sub(r"<[^>]+>", value, route)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            assert response.status_code == 404, path
            assert not queries.captured_queries, f"{path} asked the database"


def test_search_pages_answer_any_parameters(client, demo_film):
    @examples(600)
    @given(path=st.sampled_from(SEARCH_URLS), data=parameters)
    def search(path, data):
        answer(client, path, data=data)

    search()


def test_every_public_url_answers_any_raw_query_string(client, slugs):
    urls = SEARCH_URLS + OTHER_URLS + [f"/filme/{slugs[0]}/", f"/personen/{slugs[1]}/"]
    urls += [f"/api/v1/filme/{slugs[0]}/", f"/api/v1/personen/{slugs[1]}/", "/api/v1/genres/"]

    @examples(450)
    @given(path=st.sampled_from(urls), query_string=raw_query_strings, method=methods)
    def visit(path, query_string, method):
        answer(client, path, method, QUERY_STRING=query_string)

    visit()


def test_sitemaps_answer_any_section_and_page(client, demo_film):
    sections = st.one_of(st.sampled_from(["filme", "personen", "kritiken"]), path_segments)
    paths = st.one_of(st.just("/sitemap.xml"), sections.map(lambda name: f"/sitemap-{name}.xml"))
    pages = st.one_of(
        st.sampled_from(["1", "2", "0", "-1", "", "x", "9" * 5000]).map(lambda page: {"p": page}),
        parameters,
    )

    @examples(300)
    @given(path=paths, data=pages)
    def visit(path, data):
        answer(client, path, data=data)

    visit()


def test_film_person_and_file_urls_answer_any_path_segment(client, slugs):
    segments = st.one_of(
        path_segments,
        st.sampled_from(slugs),
        st.sampled_from(slugs).map(str.upper),
        st.tuples(st.sampled_from(slugs), path_segments).map("".join),
    )
    prefixes = [
        "/filme/",
        "/personen/",
        "/kritiken/",
        "/genre/",
        "/jahr/",
        "/kinostarts/",
        "/weiter/",
        "/media/",
        "/static/",
        "/",
        "/api/v1/filme/",
        "/api/v1/filme/imdb/",
        "/api/v1/personen/",
        "/api/v1/kinostarts/",
    ]

    @examples(1500)
    @given(prefix=st.sampled_from(prefixes), segment=segments, slash=st.booleans(), method=methods)
    def visit(prefix, segment, slash, method):
        answer(client, prefix + segment + ("/" if slash else ""), method)

    visit()
