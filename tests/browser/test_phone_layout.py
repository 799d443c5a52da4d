"""On a phone the film and the results come first; on a laptop everything stays in view.

The pages are photographed at both sizes into tests/browser/artifacts/.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import MOBILE, keep_artifact
from tests.browser.pages import FILM_PAGE, FILTERED_SEARCH, RATED_FILM_PAGE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LAPTOP = {"width": 1366, "height": 768}
# Viewport and pixel density: a laptop's window, and a phone's screen at twice the density.
SCREENS = {
    "laptop": {"viewport": LAPTOP},
    "phone": {"viewport": MOBILE, "device_scale_factor": 2, "is_mobile": True},
}
PHOTOGRAPHED = {"film-page": FILM_PAGE, "search": FILTERED_SEARCH, "bestenliste": "/bestenliste/"}


def on_first_screen(box: dict, viewport: dict) -> bool:
    return box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]


@pytest.mark.parametrize("screen", SCREENS)
def test_the_film_title_and_the_first_result_are_on_the_first_screen(
    browse, site, demo_film, screen
):
    viewport = SCREENS[screen]["viewport"]

    def measure(page):
        page.goto(site + FILM_PAGE)
        title = page.get_by_role("heading", level=1).bounding_box()
        page.goto(site + "/filme/?q=rost")
        first_result = page.locator(".film-list > .film-card").first.bounding_box()
        return title, first_result

    title, first_result = browse(measure, **SCREENS[screen])
    assert on_first_screen(title, viewport), title
    assert on_first_screen(first_result, viewport), first_result


def test_on_a_phone_the_film_facts_come_before_the_ad_and_the_poster(browse, site, demo_film):
    def tops(page):
        page.goto(site + FILM_PAGE)
        return [
            page.locator(selector).first.bounding_box()["y"]
            for selector in ["h1", ".film__original-title", ".facts", ".film__poster", ".ad-slot"]
        ]

    found = browse(tops, **SCREENS["phone"])
    assert found == sorted(found)


# Ad code of the slot's reserved size, as an ad server fills it after the page has loaded.
FILL_THE_AD_SLOTS = """
document.querySelectorAll(".ad-slot__space").forEach(space => {
  const ad = document.createElement("div");
  ad.style.cssText = `width: 100%; height: ${getComputedStyle(space).minHeight}`;
  space.append(ad);
});
"""
# Where the page's parts stand, to the pixel.
POSITIONS = """
[...document.querySelectorAll("h1, .ad-slot__space, .film__synopsis, .credits, .site-footer")]
  .map(element => Math.round(element.getBoundingClientRect().top + scrollY))
"""
# Every layout shift Chromium sees from the start of the page.
RECORD_LAYOUT_SHIFTS = """
window.layoutShifts = [];
new PerformanceObserver(list => window.layoutShifts.push(...list.getEntries()))
  .observe({type: "layout-shift", buffered: true});
"""
NEXT_FRAME = "new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)))"


@pytest.mark.parametrize(("screen", "reserved"), [("laptop", 90), ("phone", 250)])
def test_the_ad_slots_keep_their_reserved_height_and_nothing_moves(
    browse, site, demo_film, screen, reserved
):
    def load_and_fill(page):
        page.add_init_script(RECORD_LAYOUT_SHIFTS)
        page.goto(site + FILM_PAGE, wait_until="domcontentloaded")
        before_load = page.evaluate(POSITIONS)
        page.wait_for_load_state("load")
        page.evaluate("document.fonts.ready")
        loaded = page.evaluate(POSITIONS)
        heights = page.locator(".ad-slot__space").evaluate_all(
            "spaces => spaces.map(space => space.getBoundingClientRect().height)"
        )
        page.evaluate(FILL_THE_AD_SLOTS)
        page.evaluate(NEXT_FRAME)
        filled = page.evaluate(POSITIONS)
        shifts = page.evaluate("window.layoutShifts.map(shift => shift.value)")
        return before_load, loaded, filled, heights, shifts

    before_load, loaded, filled, heights, shifts = browse(load_and_fill, **SCREENS[screen])
    assert heights == [reserved, reserved]
    assert before_load == loaded == filled
    assert shifts == []


def test_on_a_phone_the_filters_fold_behind_a_summary_that_counts_them(browse, site, demo_film):
    def search(page):
        page.goto(site + FILTERED_SEARCH)
        filters = page.locator("details.search-form__filters")
        expect(filters).not_to_have_attribute("open", "")
        expect(filters.locator("summary")).to_have_text("Filter (2)")
        genre = page.get_by_label("Genre")
        expect(genre).to_be_hidden()
        expect(page.get_by_label("Titel oder Name")).to_be_visible()
        first_result = page.locator(".film-list > .film-card").first.bounding_box()
        filters.locator("summary").click()
        expect(genre).to_be_visible()
        expect(genre).to_have_value("drama")
        return first_result

    first_result = browse(search, **SCREENS["phone"])
    assert on_first_screen(first_result, MOBILE), first_result


def test_on_a_laptop_the_filters_are_in_view_without_a_summary(browse, site, demo_film):
    def search(page):
        page.goto(site + FILTERED_SEARCH)
        expect(page.locator(".search-form__filters > summary")).to_be_hidden()
        for label in ["Regie", "Darsteller", "Jahr von", "Jahr bis", "Genre", "FSK", "Sortierung"]:
            expect(page.get_by_label(label, exact=True).first).to_be_visible()
        page.get_by_label("FSK").select_option("ab 16")
        page.get_by_role("search", name="Filmsuche").get_by_role("button", name="Suchen").click()
        expect(page.get_by_role("status")).to_have_text("0 Filme gefunden")

    browse(search, **SCREENS["laptop"])


def test_the_two_columns_of_cast_and_crew_start_at_the_same_height(browse, site, demo_film):
    def column_tops(page):
        page.goto(site + FILM_PAGE)
        tops = {}
        for group in page.locator(".credits__group").all():
            box = group.bounding_box()
            tops[box["x"]] = min(tops.get(box["x"], box["y"]), box["y"])
        return tops

    tops = browse(column_tops, **SCREENS["laptop"])
    assert len(tops) == 2
    first, second = tops.values()
    assert abs(first - second) < 1


# The left and right edges of the page's content: inside the main element's padding.
CONTENT_EDGES = """
main => {
  const box = main.getBoundingClientRect(), style = getComputedStyle(main);
  return [box.left + parseFloat(style.paddingLeft), box.right - parseFloat(style.paddingRight)];
}
"""


def test_on_a_phone_the_header_search_lines_up_with_the_page(browse, site, demo_film):
    def edges(page):
        page.goto(site + FILM_PAGE)
        search = page.get_by_role("search", name="Schnellsuche").bounding_box()
        title = page.get_by_role("heading", level=1).bounding_box()
        main = page.locator("main").evaluate(CONTENT_EDGES)
        return search, title, main

    search, title, (content_left, content_right) = browse(edges, **SCREENS["phone"])
    assert search["x"] == title["x"] == content_left
    assert search["x"] + search["width"] == pytest.approx(content_right, abs=0.5)


def test_a_rated_film_shows_its_critics_average_in_stars_beside_its_facts(browse, site, rated_film):
    def header(page):
        page.goto(site + RATED_FILM_PAGE)
        rating = page.locator(".film__intro .rating")
        expect(rating).to_have_text("★★★★★ 4,5 von 5 Sternen · 2 Kritiken")
        # Read out as words: the stars themselves are hidden from screen readers.
        expect(rating.locator("[aria-hidden=true]")).to_have_text("★★★★★")
        return rating.bounding_box(), page.locator(".facts").bounding_box()

    rating, facts = browse(header, **SCREENS["phone"])
    assert rating["y"] < facts["y"] < MOBILE["height"]


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("name", PHOTOGRAPHED)
def test_pages_are_photographed_at_both_sizes(browse, site, demo_film, rated_film, name, screen):
    viewport = SCREENS[screen]["viewport"]

    def photograph(page):
        page.goto(site + PHOTOGRAPHED[name])
        for image in page.locator("main img").all():
            image.scroll_into_view_if_needed()
            expect(image).to_have_js_property("complete", True)
        page.evaluate("scrollTo(0, 0)")
        return page.screenshot(full_page=True)

    png = browse(photograph, **SCREENS[screen])
    keep_artifact(f"{name}-{viewport['width']}x{viewport['height']}.png", png)
    scale = SCREENS[screen].get("device_scale_factor", 1)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert int.from_bytes(png[16:20], "big") == viewport["width"] * scale  # IHDR width
