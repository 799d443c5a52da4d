"""A visitor finds the demo film through the search suggestions, reads it, meets its director."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, MOBILE, keep_artifact

# The live server reads committed data; the data migration's groups come back afterwards.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FILM = "Der Geschmack von Rost und Knochen"


def test_visitor_goes_from_a_suggested_name_to_the_film_its_review_and_its_director(
    browse, site, demo_film
):
    film_url = site + demo_film.get_absolute_url()

    def journey(page):
        page.goto(site + "/")
        search = page.get_by_label("Finde Filme nach Titel, Regie oder Darstellern")
        search.press_sequentially("Coti")
        suggestion = page.get_by_role("option", name=re.compile("Marion Cotillard"))
        expect(suggestion).to_be_visible()
        suggestion.click()

        expect(page).to_have_url(re.compile(r"/filme/\?q=Marion\+Cotillard$"))
        results = page.locator("main")
        expect(results.get_by_role("heading", level=1)).to_have_text("Filme suchen")
        results.get_by_role("link", name=FILM).first.click()

        expect(page).to_have_url(film_url)
        expect(page.get_by_role("heading", level=1)).to_have_text(FILM)
        review = page.locator("article.review")
        rest = review.get_by_text("Jacques Audiard schuf ein so sinnliches wie direktes")
        verdict = review.locator(".review__verdict")
        expect(rest).to_be_hidden()
        review.get_by_text("Mehr anzeigen").click()
        expect(rest).to_be_visible()
        expect(verdict).to_be_visible()
        expect(verdict).to_contain_text("Fazit: ")

        page.get_by_role("link", name="Jacques Audiard").first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Jacques Audiard")
        for heading in ["Regie", "Drehbuch"]:
            group = page.locator(".filmography__group").filter(
                has=page.get_by_role("heading", name=heading, exact=True)
            )
            expect(group.get_by_role("link", name=FILM)).to_be_visible()

    browse(journey)


# Viewport and pixel density: a desktop window, and a phone's screen at twice the density.
SCREENS = {"desktop": (DESKTOP, 1), "mobile": (MOBILE, 2)}


@pytest.mark.parametrize("screen", SCREENS)
def test_film_page_screenshot_is_kept(browse, site, demo_film, screen):
    viewport, scale = SCREENS[screen]

    def photograph(page):
        page.goto(site + demo_film.get_absolute_url())
        poster = page.get_by_role("img", name=f"Filmplakat: {FILM}")
        expect(poster).to_be_visible()
        expect(poster).to_have_js_property("complete", True)
        assert poster.evaluate("image => image.naturalWidth") > 0
        return page.screenshot(full_page=True)

    png = browse(photograph, viewport=viewport, device_scale_factor=scale, is_mobile=scale > 1)
    keep_artifact(f"film-page-{screen}.png", png)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert int.from_bytes(png[16:20], "big") == viewport["width"] * scale  # IHDR width
