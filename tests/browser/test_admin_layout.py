"""The editors' forms fit a laptop's screen and are valid HTML."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from filmdb.pages.kinostarts import WEEK, current_week
from films.models import Film
from people.models import Credit, Person
from reviews.models import Review
from tests.browser.admin_steps import log_in
from tests.browser.vnu import vnu_errors

pytestmark = pytest.mark.browser

# The smallest screen the Redaktion works on: a 1366 x 768 laptop.
LAPTOP = {"width": 1366, "height": 768}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_film_and_person_forms_fit_a_laptop_screen_without_scrolling_sideways(
    browse, site, editor, demo_film, make_person
):
    director = Person.objects.get(name="Jacques Audiard")
    # The widest row: a dub voice, whose select lists the film's whole cast.
    Credit.objects.create(
        film=demo_film,
        person=make_person("Synchronsprecherin mit einem sehr langen Doppelnamen"),
        role=Credit.Role.DUBBING,
        character="Stéphanie",
        voices=Credit.objects.get(film=demo_film, character="Stéphanie"),
    )
    forms = {
        "film change form": reverse("admin:films_film_change", args=[demo_film.pk]),
        "film add form": reverse("admin:films_film_add"),
        "person change form": reverse("admin:people_person_change", args=[director.pk]),
        "person add form": reverse("admin:people_person_add"),
    }

    def measure(page):
        log_in(page, site, editor.username)
        widths = {}
        for name, url in forms.items():
            page.goto(site + url)
            # The credits' autocompletes are laid out by script once the page has loaded.
            expect(page.locator(".select2-container").first).to_be_visible()
            widths[name] = page.evaluate("document.documentElement.scrollWidth")
        return widths

    widths = browse(measure, viewport=LAPTOP)
    too_wide = {name: width for name, width in widths.items() if width > LAPTOP["width"]}
    assert not too_wide, f"wider than {LAPTOP['width']} px: {too_wide}"


def admin_pages(demo_film) -> dict[str, str]:
    director = Person.objects.get(name="Jacques Audiard")
    review = Review.objects.filter(film=demo_film).first()
    # Something for each list of the start page's overview.
    Film.objects.create(
        title="Demnächst",
        status=Film.Status.PUBLISHED,
        published_at=timezone.now() + datetime.timedelta(days=3),
        release_date=current_week() + WEEK,
    )
    return {
        "start page with the overview": reverse("admin:index"),
        "film change form": reverse("admin:films_film_change", args=[demo_film.pk]),
        "film add form": reverse("admin:films_film_add"),
        "person change form": reverse("admin:people_person_change", args=[director.pk]),
        "person add form": reverse("admin:people_person_add"),
        "review change form": reverse("admin:reviews_review_change", args=[review.pk]),
        "review add form": reverse("admin:reviews_review_add"),
    }


def test_nu_html_checker_finds_no_errors_on_the_start_page_and_the_content_forms(
    editor_client, demo_film, vnu_command, tmp_path
):
    pages = {}
    for name, url in admin_pages(demo_film).items():
        response = editor_client.get(url)
        assert response.status_code == 200, url
        pages[name] = response.content

    errors = vnu_errors(vnu_command, pages, tmp_path)
    assert not errors, "vnu found errors:\n" + "\n".join(errors)
