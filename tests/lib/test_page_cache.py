"""Visitors get cached pages, never stale ones; editors never get or leave cached pages."""

import hashlib

import pytest
import redis
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from redis import RedisError

from filmdb.lib import page_cache
from filmdb.lib.redis_cache import RedisCache
from films.models import Genre, Offer
from people.models import Credit, Person
from reviews.models import Review
from tests import DATA
from tests.admin_forms import change_form_data
from tests.conftest import TEST_CACHE_KEY_PREFIX, TEST_REDIS_URL, empty_cache
from tests.pages import visible_text


@pytest.fixture
def visitor() -> Client:
    return Client()


def seen(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return visible_text(response.content.decode())


PUBLIC_PAGES = [
    "/",
    "/filme/der-geschmack-von-rost-und-knochen-2012/",
    "/filme/?darsteller=cotillard",
    "/personen/marion-cotillard/",
    "/personen/?q=cotillard",
    "/personen/autocomplete/?q=cotillard",
    "/kritiken/",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_a_second_visit_is_served_from_the_cache_without_queries(
    visitor, demo_film, url, django_assert_num_queries
):
    first = visitor.get(url)
    with django_assert_num_queries(0):
        second = visitor.get(url)
    assert second.status_code == 200
    assert second.content == first.content
    for header in [
        "Content-Type",
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cache-Control",
        "ETag",
    ]:
        assert second[header] == first[header], header


def test_a_page_stored_as_a_plain_tuple_by_an_earlier_release_is_served(visitor, demo_film):
    """Pages are kept as plain tuples: processes of two releases (a deploy under way)
    read each other's pages, where a pickled class unknown to one of them would not load."""
    url = demo_film.get_absolute_url()
    visitor.get(url)
    key = (
        page_cache.PAGE_KEY_PREFIX + hashlib.sha256(f"http://testserver{url}".encode()).hexdigest()
    )
    stored = cache.get(key)
    assert type(stored) is tuple
    version, _, headers = stored
    cache.set(key, (version, b"<p>Aus dem Cache</p>", headers))
    assert visitor.get(url).content == b"<p>Aus dem Cache</p>"


def test_a_page_cached_by_one_worker_is_there_for_another(visitor, demo_film):
    """With Redis, every worker process reads the pages and the version one of them stored."""
    try:
        redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1).ping()
    except RedisError:
        pytest.skip("no Redis server: the tests use the local-memory cache")
    url = demo_film.get_absolute_url()
    rendered = visitor.get(url).content
    own_pages = f"{TEST_CACHE_KEY_PREFIX}:*{page_cache.PAGE_KEY_PREFIX}*"
    page_keys = redis.Redis.from_url(TEST_REDIS_URL).keys(own_pages)
    assert len(page_keys) == 1
    # Another worker: a cache client of its own on the same Redis database.
    other_worker = RedisCache(TEST_REDIS_URL, {"KEY_PREFIX": TEST_CACHE_KEY_PREFIX})
    key = page_keys[0].decode().split(":", 2)[2]  # without Django's "<prefix>:<version>:"
    stored = other_worker.get_many([page_cache.VERSION_KEY, key])
    page = page_cache.CachedPage(*stored[key])
    assert page.version == stored[page_cache.VERSION_KEY]
    assert page.content == rendered


def test_renaming_a_person_in_the_admin_changes_every_film_page_listing_them(
    visitor, editor, demo_film, make_film
):
    cotillard = Person.objects.get(name="Marion Cotillard")
    other = make_film("Der Liebe entgegen", year=2020, status="published")
    Credit.objects.create(film=other, person=cotillard, role=Credit.Role.CAST)
    pages = [demo_film.get_absolute_url(), other.get_absolute_url(), "/filme/?q=cotillard"]
    for url in pages:
        assert "Marion Cotillard" in seen(visitor, url)

    editor_client = Client()
    editor_client.force_login(editor)
    change_url = reverse("admin:people_person_change", args=[cotillard.pk])
    form = editor_client.get(change_url)
    saved = editor_client.post(change_url, change_form_data(form, name="Marion Cotillard-Canet"))
    assert saved.status_code == 302, saved.content.decode()[:2000]

    for url in pages[:2]:
        assert "Marion Cotillard-Canet" in seen(visitor, url)
    assert "Marion Cotillard-Canet" in seen(visitor, cotillard.get_absolute_url())


def test_editing_or_unpublishing_a_film_shows_at_once(visitor, demo_film):
    url = demo_film.get_absolute_url()
    assert "Der Geschmack von Rost und Knochen" in seen(visitor, url)
    assert "Der Geschmack von Rost und Knochen" in seen(visitor, "/")

    assert "Der Geschmack von Rost und Knochen" in seen(visitor, "/filme/?darsteller=cotillard")

    demo_film.title = "Neuer Arbeitstitel"
    demo_film.save()
    assert "Neuer Arbeitstitel" in seen(visitor, url)
    assert "Neuer Arbeitstitel" in seen(visitor, "/")
    assert "Neuer Arbeitstitel" in seen(visitor, "/filme/?darsteller=cotillard")

    demo_film.status = demo_film.Status.DRAFT
    demo_film.save()
    assert visitor.get(url).status_code == 404
    assert "Neuer Arbeitstitel" not in seen(visitor, "/")
    assert "Neuer Arbeitstitel" not in seen(visitor, "/filme/?darsteller=cotillard")


def test_editing_or_unpublishing_a_review_shows_at_once(visitor, demo_film):
    review = demo_film.reviews.get()
    url = demo_film.get_absolute_url()
    assert review.verdict[:40] in seen(visitor, url)

    review.verdict = "Ein neues Fazit der Redaktion."
    review.save()
    assert "Ein neues Fazit der Redaktion." in seen(visitor, url)
    assert "Ein neues Fazit der Redaktion." in seen(visitor, "/kritiken/")

    review.status = Review.Status.DRAFT
    review.save()
    assert "Ein neues Fazit der Redaktion." not in seen(visitor, url)
    assert "Ein neues Fazit der Redaktion." not in seen(visitor, "/kritiken/")


def test_adding_changing_and_removing_a_credit_shows_at_once(visitor, demo_film, make_person):
    url = demo_film.get_absolute_url()
    assert "Armand Verdure" in seen(visitor, url)
    newcomer = make_person("Céline Neuling")
    credit = Credit.objects.create(
        film=demo_film, person=newcomer, role=Credit.Role.CAST, character="Nachbarin"
    )
    assert "Céline Neuling" in seen(visitor, url)
    assert "Rost und Knochen" in seen(visitor, "/filme/?darsteller=neuling")

    credit.character = "Schwester"
    credit.save()
    assert "Schwester" in seen(visitor, url)

    credit.delete()
    assert "Céline Neuling" not in seen(visitor, url)
    assert "Rost und Knochen" not in seen(visitor, "/filme/?darsteller=neuling")


def test_adding_and_changing_an_offer_shows_at_once(visitor, demo_film):
    url = demo_film.get_absolute_url()
    assert "Filmshop" not in seen(visitor, url)
    offer = Offer.objects.create(
        film=demo_film, provider="Filmshop", kind=Offer.Kind.BLURAY, url="https://example.org/bd"
    )
    assert "Filmshop" in seen(visitor, url)
    offer.provider = "Kinokiste"
    offer.save()
    page = seen(visitor, url)
    assert "Kinokiste" in page and "Filmshop" not in page


def test_renaming_or_removing_a_genre_shows_at_once(visitor, demo_film):
    url = demo_film.get_absolute_url()
    drama = Genre.objects.get(slug="drama")
    assert "Drama" in seen(visitor, url)
    drama.name = "Melodram"
    drama.save()
    assert "Melodram" in seen(visitor, url)
    demo_film.genres.remove(drama)
    assert "Melodram" not in seen(visitor, url)


def test_an_import_shows_at_once(visitor, db, tmp_path):
    assert "Der Pate" not in seen(visitor, "/")
    call_command("import_imdb", str(DATA / "imdb-sample" / "famous-akas"), verbosity=0)
    assert "Der Pate" in seen(visitor, "/filme/?q=pate")


def test_editors_get_fresh_pages_and_leave_nothing_in_the_cache(visitor, editor, demo_film, critic):
    Review.objects.create(
        film=demo_film, author=critic, body="Noch nicht fertig.", verdict="Entwurfsfazit"
    )
    url = demo_film.get_absolute_url()
    editor_client = Client()
    editor_client.force_login(editor)

    seen(visitor, url)  # cached for visitors
    for_editor = editor_client.get(url)
    assert "Entwurfsfazit" in visible_text(for_editor.content.decode())
    assert "no-store" in for_editor["Cache-Control"]
    assert "Entwurfsfazit" not in seen(visitor, url)

    empty_cache()
    editor_client.get(url)  # rendered with the draft first, after an empty cache
    assert "Entwurfsfazit" not in seen(visitor, url)


def test_a_draft_film_seen_by_an_editor_stays_404_for_visitors(visitor, editor, make_film):
    draft = make_film("Noch geheim")
    editor_client = Client()
    editor_client.force_login(editor)
    assert editor_client.get(draft.get_absolute_url()).status_code == 200
    assert visitor.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("page", ["film", "person"])
def test_film_and_person_pages_answer_revalidation_with_304(visitor, demo_film, page):
    url = demo_film.get_absolute_url() if page == "film" else "/personen/jacques-audiard/"
    first = visitor.get(url)
    etag = first["ETag"]
    assert etag and "no-cache" in first["Cache-Control"]

    unchanged = visitor.get(url, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304
    assert unchanged.content == b""

    # A change elsewhere retires every cached page; the person page reads the same after
    # it, so its ETag still matches, and the film page's does not.
    Person.objects.filter(name="Jacques Audiard").get().save()
    demo_film.distributor = "Ein anderer Verleih"  # on the film page, not on its people's
    demo_film.save()
    changed = visitor.get(url, headers={"If-None-Match": etag})
    if page == "film":
        assert changed.status_code == 200
        assert changed["ETag"] != etag
        assert "Ein anderer Verleih" in changed.content.decode()
    else:
        # The person page reads the same after the edit: same content, same ETag.
        assert changed.status_code == 304


def test_pages_still_answer_when_the_cache_does_not(visitor, demo_film, monkeypatch):
    def unreachable(*args, **kwargs):
        raise RedisError("Verbindung abgelehnt")

    monkeypatch.setattr(cache, "get_many", unreachable)
    monkeypatch.setattr(cache, "set", unreachable)
    response = visitor.get(demo_film.get_absolute_url())
    assert response.status_code == 200
    assert "Rost und Knochen" in response.content.decode()


def test_page_caching_can_be_turned_off(
    visitor, demo_film, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0
    url = demo_film.get_absolute_url()
    visitor.get(url)
    with django_assert_max_num_queries(6) as queries:
        response = visitor.get(url)
    assert len(queries) > 0, "the second visit was rendered again"
    assert response["ETag"], "revalidation works without the cache too"


def test_a_head_is_answered_from_the_cached_page_without_a_body(
    visitor, demo_film, django_assert_num_queries
):
    url = demo_film.get_absolute_url()
    page = visitor.get(url)
    with django_assert_num_queries(0):
        head = visitor.head(url)
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == page["ETag"]
    assert head["Content-Type"] == page["Content-Type"]
    assert head["Content-Length"] == str(len(page.content))


def test_a_head_stores_no_page_for_the_next_visitor(visitor, demo_film):
    url = demo_film.get_absolute_url()
    visitor.head(url)
    with CaptureQueriesContext(connection) as queries:
        page = visitor.get(url)
    assert queries.captured_queries, "the page came from the HEAD's entry"
    assert "Der Geschmack von Rost und Knochen" in visible_text(page.content.decode())


@pytest.mark.parametrize(
    "tracking",
    [
        "utm_source=newsletter&utm_medium=email&utm_campaign=kinostart",
        "fbclid=IwAR3xyz",
        "gclid=Cj0KCQ",
        "msclkid=abc&_ga=2.1234",
    ],
)
def test_links_with_tracking_parameters_share_the_cached_page(
    visitor, demo_film, tracking, django_assert_num_queries
):
    first = visitor.get("/filme/?darsteller=cotillard&utm_source=mastodon")
    with django_assert_num_queries(0):
        tracked = visitor.get(f"/filme/?{tracking}&darsteller=cotillard")
        plain = visitor.get("/filme/?darsteller=cotillard")
    assert tracked.content == plain.content == first.content


def test_a_real_parameter_is_a_page_of_its_own(visitor, demo_film):
    visitor.get("/filme/?darsteller=cotillard&utm_source=newsletter")
    with CaptureQueriesContext(connection) as queries:
        visitor.get("/filme/?darsteller=cotillard&seite=2")
    assert queries.captured_queries, "seite=2 was served the first page's entry"


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (
            "/filme/der-geschmack-von-rost-und-knochen-2012/?utm_source=newsletter&fbclid=x",
            "http://testserver/filme/der-geschmack-von-rost-und-knochen-2012/",
        ),
        (
            "/bestenliste/?utm_campaign=top&genre=drama&gclid=1&jahrzehnt=2010",
            "http://testserver/bestenliste/?genre=drama&amp;jahrzehnt=2010",
        ),
    ],
)
def test_the_canonical_url_leaves_out_tracking_parameters(visitor, demo_film, url, canonical):
    html = visitor.get(url).content.decode()
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert f'<meta property="og:url" content="{canonical}">' in html


def test_search_page_links_leave_out_tracking_parameters(visitor, demo_film, make_film):
    for n in range(25):
        make_film(f"Drama {n}", 2000 + n, status="published")
    html = visitor.get("/filme/?q=drama&utm_source=newsletter&fbclid=x").content.decode()
    assert "seite=2" in html
    assert "utm_" not in html and "fbclid" not in html
