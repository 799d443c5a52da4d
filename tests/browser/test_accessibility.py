"""axe-core, run in Chromium on every kind of public page, finds no violations."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, MOBILE
from tests.browser.pages import FILM_PAGE, FILTERED_SEARCH, PUBLIC_PAGES, RATED_FILM_PAGE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def show_suggestions(page):
    page.get_by_label("Finde Filme nach Titel, Regie oder Darstellern").press_sequentially("Coti")
    expect(page.get_by_role("option").first).to_be_visible()


def unfold_review(page):
    page.get_by_text("Mehr anzeigen").click()


def on_a_phone(page):
    page.set_viewport_size(MOBILE)


# Pages as they load, and as they look after what a visitor does most on them.
STATES = {
    **{name: (url, None) for name, url in PUBLIC_PAGES.items()},
    "home with name suggestions open": ("/", show_suggestions),
    "film page with the review unfolded": (FILM_PAGE, unfold_review),
    "film search with its filters folded on a phone": (FILTERED_SEARCH, on_a_phone),
    "rated film page on a phone": (RATED_FILM_PAGE, on_a_phone),
}


def describe(violations_by_state: dict[str, list[dict]]) -> str:
    lines = []
    for state, violations in violations_by_state.items():
        lines.append(f"{state} ({STATES[state][0]}):")
        for violation in violations:
            lines.append(
                f"  {violation['id']} ({violation['impact']}): {violation['help']}"
                f" – {violation['helpUrl']}"
            )
            for node in violation["nodes"]:
                lines.append(f"    {' '.join(map(str, node['target']))}")
                lines.extend(f"      {line}" for line in node["failureSummary"].splitlines())
    return "\n".join(lines)


def test_axe_finds_no_violations_on_any_public_page(
    browse, site, demo_film, rated_film, axe_source
):
    def check_every_page(page):
        # One page for all: axe is compiled once and runs warm (about 0.2 s a page).
        found, checked = {}, []
        for state, (url, prepare) in STATES.items():
            page.set_viewport_size(DESKTOP)
            page.goto(site + url)
            if prepare:
                prepare(page)
            page.evaluate(axe_source)
            results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            checked.append(len(results["passes"]))
            if results["violations"]:
                found[state] = results["violations"]
        return found, checked

    violations, rules_passed = browse(check_every_page)
    assert not violations, "axe found violations:\n" + describe(violations)
    assert all(rules_passed), "axe checked nothing on some page"
