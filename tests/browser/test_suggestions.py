"""A visitor types part of a film's title into a search field: the suggestions open below
the field, never over it or its button, and the film leads to its page."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import MOBILE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FILM = "Der Geschmack von Rost und Knochen"
SCREENS = {"desktop": {"width": 1366, "height": 768}, "phone": MOBILE}
# The header's quick search is on every page; the home page has its own large one too.
FIELDS = {"header": "#site-search-q", "home page": "#home-q"}


def below_and_beside(listbox: dict, field: dict, button: dict, width: int) -> list[str]:
    """What is wrong with where the list opened (bounding boxes), or nothing."""
    problems = []
    if listbox["y"] < field["y"] + field["height"] - 0.5:
        problems.append(f"the list starts at {listbox['y']}, above the field's bottom")
    overlaps_button = (
        listbox["x"] < button["x"] + button["width"]
        and button["x"] < listbox["x"] + listbox["width"]
        and listbox["y"] < button["y"] + button["height"] - 0.5
        and button["y"] < listbox["y"] + listbox["height"]
    )
    if overlaps_button:
        problems.append("the list covers the search button")
    if listbox["x"] < 0 or listbox["x"] + listbox["width"] > width + 0.5:
        problems.append("the list runs off the screen")
    return problems


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("screen", SCREENS)
def test_suggestions_open_below_the_field_and_the_film_opens_its_page(
    browse, site, demo_film, screen, field
):
    viewport = SCREENS[screen]
    phone = screen == "phone"

    def type_and_pick(page):
        page.goto(site + "/")
        search = page.locator(FIELDS[field])
        button = search.locator("xpath=ancestor::form").get_by_role("button", name="Suchen")
        search.press_sequentially("rost und")
        listbox = page.get_by_role("listbox", name="Vorschläge").filter(visible=True)
        film = listbox.get_by_role("option", name=re.compile(FILM))
        expect(film).to_be_visible()
        expect(film).to_contain_text("2012")
        expect(film).to_contain_text("Jacques Audiard")
        expect(search).to_have_attribute("aria-expanded", "true")
        problems = below_and_beside(
            listbox.bounding_box(), search.bounding_box(), button.bounding_box(), viewport["width"]
        )
        assert problems == []
        # The field and its button stay where a tap reaches them.
        expect(search).to_be_in_viewport()
        expect(button).to_be_in_viewport()
        if phone:
            film.tap()
        else:
            film.click()
        expect(page).to_have_url(site + demo_film.get_absolute_url())
        expect(page.get_by_role("heading", level=1)).to_have_text(FILM)

    browse(type_and_pick, viewport=viewport, is_mobile=phone, has_touch=phone)


def test_a_suggested_film_is_picked_with_the_keyboard(browse, site, demo_film, axe_source):
    def pick_with_keys(page):
        page.goto(site + "/personen/")
        search = page.locator("#site-search-q")
        search.press_sequentially("rost und")
        film = page.get_by_role("option", name=re.compile(FILM))
        expect(film).to_be_visible()
        # The open list with a film in it passes axe's checks as the people's list does.
        page.evaluate(axe_source)
        violations = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        assert [violation["id"] for violation in violations["violations"]] == []
        search.press("ArrowDown")
        expect(film).to_have_attribute("aria-selected", "true")
        expect(search).to_have_attribute("aria-activedescendant", film.get_attribute("id"))
        search.press("Enter")
        expect(page).to_have_url(site + demo_film.get_absolute_url())

    browse(pick_with_keys)


def test_the_roles_fields_suggest_people_not_films(browse, site, demo_film):
    def type_in_the_directors_field(page):
        page.goto(site + "/filme/")
        directors = page.get_by_label("Regie", exact=True).first
        suggested = page.get_by_role("listbox", name="Vorschläge").get_by_role("option")
        directors.press_sequentially("audiard")
        expect(suggested).to_have_text([re.compile("Jacques Audiard")])
        directors.fill("")
        with page.expect_response(re.compile(r"/personen/autocomplete/\?q=rost\+und")):
            directors.press_sequentially("rost und")
        expect(suggested).to_have_count(0)

    browse(type_in_the_directors_field)
