"""Random query strings and path segments against every public URL: never a 5xx.

Each test sets up the demo data once and then sends Hypothesis's examples as an
anonymous visitor. Visitors' pages are cached whole (filmdb/page_cache.py); the cache is
emptied before each test and keyed by the whole URL, so every distinct URL reaches its
view once.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from filmdb.demo import FILM_SLUG
from films.models import FilmRedirect
from people.models import Person, PersonRedirect
from tests.fuzz.strategies import examples, parameters, path_segments, raw_query_strings

pytestmark = pytest.mark.django_db

SEARCH_URLS = ["/filme/", "/personen/", "/personen/autocomplete/", "/kritiken/", "/"]
OTHER_URLS = ["/sitemap.xml", "/sitemap-filme.xml", "/robots.txt", "/affiliate-links/", "/healthz"]
OLD_FILM_SLUG, OLD_PERSON_SLUG = "rust-and-bone-2012", "j-audiard"


@pytest.fixture
def slugs(demo_film) -> list[str]:
    """Slugs that lead somewhere: the demo film, a person, and old slugs of both."""
    person = Person.objects.get(name="Jacques Audiard")
    FilmRedirect.objects.create(film=demo_film, old_slug=OLD_FILM_SLUG)
    PersonRedirect.objects.create(person=person, old_slug=OLD_PERSON_SLUG)
    return [FILM_SLUG, person.slug, OLD_FILM_SLUG, OLD_PERSON_SLUG]


def answer(client, path: str, **request) -> None:
    response = client.get(path, **request)
    assert response.status_code < 500, (path, request, response.status_code)


def test_search_pages_answer_any_parameters(client, demo_film):
    @examples(600)
    @given(path=st.sampled_from(SEARCH_URLS), data=parameters)
    def search(path, data):
        answer(client, path, data=data)

    search()


def test_every_public_url_answers_any_raw_query_string(client, slugs):
    urls = SEARCH_URLS + OTHER_URLS + [f"/filme/{slugs[0]}/", f"/personen/{slugs[1]}/"]

    @examples(450)
    @given(path=st.sampled_from(urls), query_string=raw_query_strings)
    def visit(path, query_string):
        answer(client, path, QUERY_STRING=query_string)

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
    prefixes = ["/filme/", "/personen/", "/kritiken/", "/media/", "/static/", "/"]

    @examples(1500)
    @given(prefix=st.sampled_from(prefixes), segment=segments, slash=st.booleans())
    def visit(prefix, segment, slash):
        answer(client, prefix + segment + ("/" if slash else ""))

    visit()
