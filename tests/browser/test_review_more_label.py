"""In Chromium, a review's fold says "Mehr anzeigen" while closed and "Weniger anzeigen"
while open, one label at a time, with no script of the site's own involved."""

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_fold_names_what_a_click_will_do(browse, site, demo_film):
    def steps(page):
        page.goto(site + demo_film.get_absolute_url())
        fold = page.locator("article.review details.review__more")
        summary = fold.locator("summary")
        expect(summary).to_have_text("Mehr anzeigen", use_inner_text=True)
        expect(summary.get_by_text("Weniger anzeigen")).to_be_hidden()
        summary.click()
        expect(fold).to_have_attribute("open", "")
        expect(summary).to_have_text("Weniger anzeigen", use_inner_text=True)
        expect(summary.get_by_text("Mehr anzeigen")).to_be_hidden()
        summary.click()
        expect(summary).to_have_text("Mehr anzeigen", use_inner_text=True)

    browse(steps, java_script_enabled=False)
