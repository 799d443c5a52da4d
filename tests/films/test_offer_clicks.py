"""Affiliate clicks: offer links go through /weiter/<id>/, which counts a visitor's click
per offer and day, without anything about the visitor, and redirects to the offer."""

import datetime
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from films.models import Film, Offer, OfferClick
from tests.pages import page_text

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0"
CRAWLERS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "facebookexternalhit/1.1",
    "curl/8.5.0",
    "python-requests/2.32",
    "",
]


@pytest.fixture
def offer(db) -> Offer:
    film = Film.objects.create(title="Ein Prophet", year=2009, status="published")
    return Offer.objects.create(
        film=film, provider="Videothek", kind="stream", url="https://example.com/f?id=7&ref=filmdb"
    )


def clicks(offer: Offer) -> int:
    return sum(OfferClick.objects.filter(offer=offer).values_list("clicks", flat=True))


def visit(client, offer: Offer, **headers):
    return client.get(f"/weiter/{offer.pk}/", headers={"User-Agent": BROWSER, **headers})


def test_two_clicks_a_crawlers_click_and_a_head_count_as_two(client, offer):
    for _ in range(2):
        response = visit(client, offer)
        assert response.status_code == 302
        assert response["Location"] == "https://example.com/f?id=7&ref=filmdb"
    client.get(f"/weiter/{offer.pk}/", headers={"User-Agent": CRAWLERS[0]})
    assert client.head(f"/weiter/{offer.pk}/", headers={"User-Agent": BROWSER}).status_code == 302
    assert OfferClick.objects.values_list("offer", "day", "clicks").get() == (
        offer.pk,
        timezone.localdate(),
        2,
    )


@pytest.mark.parametrize("agent", CRAWLERS)
def test_crawlers_and_link_checkers_are_not_counted(client, offer, agent):
    assert client.get(f"/weiter/{offer.pk}/", headers={"User-Agent": agent}).status_code == 302
    assert clicks(offer) == 0


@pytest.mark.parametrize(
    "header, value",
    [("Sec-Purpose", "prefetch"), ("Sec-Purpose", "prefetch;prerender"), ("Purpose", "prefetch")],
)
def test_prefetches_are_not_counted(client, offer, header, value):
    assert visit(client, offer, **{header: value}).status_code == 302
    assert clicks(offer) == 0


def test_an_image_pointing_at_the_link_is_redirected_but_not_counted(client, offer):
    response = visit(client, offer, **{"Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Dest": "image"})
    assert response.status_code == 302
    assert response["Location"] == "https://example.com/f?id=7&ref=filmdb"
    assert clicks(offer) == 0


# What browsers send when another page embeds or fetches the link instead of opening it.
@pytest.mark.parametrize(
    "mode, destination",
    [("no-cors", "script"), ("cors", "empty"), ("navigate", "iframe"), ("no-cors", None)],
)
def test_embedded_or_fetched_links_are_not_counted(client, offer, mode, destination):
    headers = {"Sec-Fetch-Mode": mode, "Sec-Fetch-Site": "cross-site"}
    if destination:
        headers["Sec-Fetch-Dest"] = destination
    assert visit(client, offer, **headers).status_code == 302
    assert clicks(offer) == 0


def test_a_click_that_opens_the_link_counts_once(client, offer):
    navigation = {
        "Sec-Fetch-Mode": "navigate",
        "Sec-Fetch-Dest": "document",
        "Sec-Fetch-Site": "same-origin",
        "Sec-Fetch-User": "?1",
    }
    assert visit(client, offer, **navigation).status_code == 302
    assert clicks(offer) == 1


def test_a_browser_that_sends_no_fetch_metadata_counts_once(client, offer):
    assert visit(client, offer).status_code == 302
    assert clicks(offer) == 1


def test_the_redirect_is_private_unindexed_and_keeps_nothing_of_the_visitor(client, offer):
    response = visit(client, offer)
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Cache-Control"] == "private, no-store"
    assert not response.cookies
    columns = {field.column for field in OfferClick._meta.concrete_fields}
    assert columns == {"id", "offer_id", "day", "clicks"}


def test_each_day_is_counted_on_its_own(client, offer, monkeypatch):
    visit(client, offer)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda: tomorrow)
    visit(client, offer)
    visit(client, offer)
    assert sorted(OfferClick.objects.values_list("clicks", flat=True)) == [1, 2]


@pytest.mark.parametrize(
    "path",
    ["/weiter/abc/", "/weiter/-1/", "/weiter/1.5/", "/weiter/99999999999999999999/", "/weiter/٣/"],
)
def test_an_id_that_is_not_a_number_is_not_found(client, offer, path):
    assert client.get(path, headers={"User-Agent": BROWSER}).status_code == 404
    assert clicks(offer) == 0


def test_an_unknown_offer_or_one_of_an_unpublished_film_is_not_found(client, offer):
    assert client.get(f"/weiter/{offer.pk + 1}/").status_code == 404
    Film.objects.update(status="draft")
    assert visit(client, offer).status_code == 404
    assert clicks(offer) == 0


def test_only_get_and_head_are_answered(client, offer):
    assert client.post(f"/weiter/{offer.pk}/").status_code == 405
    assert clicks(offer) == 0


def test_the_film_page_links_offers_through_the_counter_and_stays_cacheable(client, offer):
    film = offer.film
    response = client.get(film.get_absolute_url())
    html = page_text(response)
    assert (
        f'<a href="/weiter/{offer.pk}/" rel="sponsored noopener" target="_blank">Videothek' in html
    )
    assert "example.com/f" not in html
    assert client.get(film.get_absolute_url()).headers.get("ETag") == response.headers.get("ETag")
    assert (
        "no-store" not in response["Cache-Control"] and "private" not in response["Cache-Control"]
    )


# Committed rows the threads' own connections can see; the groups of the data migration
# come back afterwards.
@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_clicks_are_all_counted():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (SQLite writes one at a time)")
    film = Film.objects.create(title="Parallel", status="published")
    offer = Offer.objects.create(film=film, provider="A", kind="buy", url="https://example.com/")

    def click_ten_times():
        client = Client()
        try:
            for _ in range(10):
                client.get(f"/weiter/{offer.pk}/", headers={"User-Agent": BROWSER})
        finally:
            connection.close()  # each thread's own connection

    threads = [threading.Thread(target=click_ten_times) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert clicks(offer) == 40


def test_the_admin_shows_each_offers_recent_clicks_and_the_most_clicked(editor_client, offer):
    other = Offer.objects.create(
        film=offer.film, provider="Laden", kind="buy", url="https://example.com/b"
    )
    today = timezone.localdate()
    OfferClick.objects.create(offer=offer, day=today, clicks=3)
    OfferClick.objects.create(offer=offer, day=today - datetime.timedelta(days=10), clicks=5)
    OfferClick.objects.create(offer=offer, day=today - datetime.timedelta(days=40), clicks=100)
    OfferClick.objects.create(offer=other, day=today - datetime.timedelta(days=6), clicks=9)
    change = page_text(editor_client.get(reverse("admin:films_film_change", args=[offer.film.pk])))
    assert "Klicks (7 Tage)" in change and "Klicks (30 Tage)" in change
    listing = page_text(editor_client.get(reverse("admin:films_offer_changelist")))
    rows = listing.split("<tbody>")[1].split("</tbody>")[0].split("<tr")[1:]
    cells = [[cell.split(">", 1)[1].split("<")[0] for cell in row.split("<td")[1:]] for row in rows]
    assert [(row[-2], row[-1]) for row in cells] == [("9", "9"), ("3", "8")]
