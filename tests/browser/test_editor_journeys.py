"""The Redaktion's and the critics' main journeys through the admin, in Chromium.

Each journey types, chooses and clicks as a person does, then checks what that person
sees at its end and what the database holds; its last page is kept as a screenshot in
tests/browser/artifacts/<journey>.png.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from films.models import Film, Genre
from people.models import Credit, Person
from reviews.models import Review
from tests.browser.admin_steps import (
    choose,
    choose_person,
    image_file,
    keep_screenshot,
    log_in,
    open_model,
    save_and_continue,
)

# The live server reads committed data; the data migration's groups come back afterwards.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PORTRAIT = "Porträt einer jungen Frau in Flammen"


def add_film_with_poster_and_credits(page, poster) -> None:
    """From the admin's start page to a new film's form, filled in with title, year,
    poster, a director and two actors chosen through the name suggestions."""
    open_model(page, "Filme", "Hinzufügen")
    page.locator("#id_title").press_sequentially(PORTRAIT)
    page.locator("#id_year").press_sequentially("2019")
    expect(page.locator("#id_slug")).to_have_value(re.compile(r"einer-jungen-frau.*-2019$"))
    page.locator("#id_poster").set_input_files(poster)

    page.locator("#id_credits-0-role").select_option(label="Regisseur")
    choose_person(page, 0, "sciam", "Céline Sciamma")
    add_credit = page.locator("#credits-group .add-row a")
    for row, (typed, name, character) in enumerate(
        [("merla", "Noémie Merlant", "Marianne"), ("haen", "Adèle Haenel", "Héloïse")], start=1
    ):
        add_credit.click()
        page.locator(f"#id_credits-{row}-role").select_option(label="Darsteller")
        choose_person(page, row, typed, name)
        page.locator(f"#id_credits-{row}-character").fill(character)
        page.locator(f"#id_credits-{row}-order").fill(str(row))


@pytest.fixture
def portrait_people(make_person):
    for name in ["Céline Sciamma", "Noémie Merlant", "Adèle Haenel"]:
        make_person(name)


def assert_portrait_credits(film: Film) -> None:
    credits = film.credits.select_related("person").order_by("pk")
    assert [(c.get_role_display(), c.person.name, c.character) for c in credits] == [
        ("Regisseur", "Céline Sciamma", ""),
        ("Darsteller", "Noémie Merlant", "Marianne"),
        ("Darsteller", "Adèle Haenel", "Héloïse"),
    ]


def test_editor_adds_publishes_and_views_a_film_with_poster_and_credits(
    browse, site, editor, portrait_people, tmp_path
):
    poster = image_file(tmp_path, "plakat.jpg", (600, 900), (180, 70, 40))

    def add_and_view(page):
        log_in(page, site, "redakteurin")
        add_film_with_poster_and_credits(page, poster)
        page.locator("#id_status").select_option(label="Veröffentlicht")
        save_and_continue(page)
        expect(page.locator(".messagelist")).to_contain_text("erfolgreich hinzugefügt")

        page.get_by_role("link", name="Auf der Seite ansehen").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(PORTRAIT)
        poster_image = page.get_by_role("img", name=f"Filmplakat: {PORTRAIT}")
        expect(poster_image).to_be_visible()
        expect(poster_image).to_have_js_property("complete", True)
        assert poster_image.evaluate("image => image.naturalWidth") > 0
        credits = page.locator("section.credits")
        directors = credits.locator(".credits__group").filter(has_text="Regisseur")
        expect(directors.get_by_role("link", name="Céline Sciamma")).to_be_visible()
        cast = credits.locator(".credits__group").filter(has_text="Darsteller")
        expect(cast.get_by_role("listitem")).to_have_text(
            ["Noémie Merlant als Marianne", "Adèle Haenel als Héloïse"]
        )
        keep_screenshot(page, "editor-publishes-a-film")
        return page.url

    film_url = browse(add_and_view)

    film = Film.objects.get(title=PORTRAIT)
    assert film_url == site + film.get_absolute_url()
    assert film.is_published
    assert film.poster
    assert_portrait_credits(film)


def test_editor_schedules_a_film_that_visitors_cannot_see_before_its_moment(
    browse, site, editor, portrait_people, tmp_path
):
    poster = image_file(tmp_path, "plakat.jpg", (600, 900), (180, 70, 40))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    moment = f"{tomorrow:%d.%m.%Y}, 10:00 Uhr"

    def schedule(page):
        log_in(page, site, "redakteurin")
        add_film_with_poster_and_credits(page, poster)
        page.get_by_label("Bildnachweis").fill("Foto: Alamode Film")
        page.locator("#id_status").select_option(label="Veröffentlicht")
        page.locator("#id_published_at_0").fill(f"{tomorrow:%d.%m.%Y}")
        page.locator("#id_published_at_1").fill("10:00")
        save_and_continue(page)

        expect(page.locator(".messagelist")).to_contain_text("erfolgreich hinzugefügt")
        expect(page.locator(".field-publication_state")).to_contain_text(f"geplant: {moment}")
        expect(page.locator("#id_poster_credit")).to_have_value("Foto: Alamode Film")
        # The breadcrumbs lead to the app ("Filme") and then to the list of films ("Filme").
        page.locator(".breadcrumbs").get_by_role("link", name="Filme").last.click()
        row = page.locator("#result_list tr", has_text=PORTRAIT)
        expect(row).to_contain_text(f"geplant: {moment}")
        keep_screenshot(page, "editor-schedules-a-film")

    browse(schedule)

    film = Film.objects.get(title=PORTRAIT)
    assert film.status == Film.Status.PUBLISHED
    assert timezone.localtime(film.published_at) == timezone.make_aware(
        datetime.datetime.combine(tomorrow, datetime.time(10, 0))
    )
    assert film.is_scheduled
    assert film.poster
    assert film.poster_credit == "Foto: Alamode Film"
    assert_portrait_credits(film)

    def visit(page):
        response = page.goto(site + film.get_absolute_url())
        assert response.status == 404
        expect(page.get_by_role("heading", level=1)).to_have_text("Diese Seite gibt es nicht")
        expect(page.get_by_text(PORTRAIT)).to_have_count(0)

    browse(visit)


def test_critic_reviews_a_film_with_stars_and_visitors_find_it_in_the_bestenliste(
    browse, site, critic
):
    drama = Genre.objects.create(name="Drama", slug="drama")
    film = Film.objects.create(title="Toni Erdmann", year=2016, status=Film.Status.PUBLISHED)
    film.genres.add(drama)

    def review(page):
        log_in(page, site, "kritiker")
        open_model(page, "Kritiken", "Hinzufügen")
        choose(page, page.locator(".field-film"), "erdm", "Toni Erdmann")
        page.locator("#id_headline").fill("Ein Vater im Zottelkostüm")
        page.locator("#id_body").fill(
            "Maren Ade erzählt von einem Vater, der seine Tochter nicht loslässt.\n\n"
            "Zweieinhalb Stunden, die keine Minute zu lang sind."
        )
        page.locator("#id_verdict").fill("Komisch und traurig zugleich.")
        page.locator("#id_rating").select_option(label="4 von 5 Sternen")
        page.locator("#id_status").select_option(label="Veröffentlicht")
        page.get_by_role("button", name="Sichern", exact=True).first.click()
        expect(page.locator(".messagelist")).to_contain_text("erfolgreich hinzugefügt")
        row = page.locator("#result_list tr", has_text="Ein Vater im Zottelkostüm")
        expect(row).to_contain_text("Veröffentlicht")

    browse(review)

    written = Review.objects.get()
    assert (written.film, written.author, written.byline) == (film, critic, "Karl Kritiker")
    assert written.rating == 4
    assert written.is_published
    film.refresh_from_db()
    assert (film.rating_average, film.rating_count) == (4.0, 1)

    def visit(page):
        page.goto(site + "/bestenliste/")
        page.get_by_label("Genre").select_option(label="Drama")
        page.get_by_role("button", name="Anzeigen").click()
        expect(page).to_have_url(re.compile(r"/bestenliste/\?genre=drama"))
        entries = page.locator("ol.best-list > li")
        expect(entries).to_have_count(1)
        expect(entries.get_by_role("heading", level=3)).to_have_text("Toni Erdmann (2016)")
        expect(entries.locator(".rating")).to_have_text("★★★★☆ 4,0 von 5 Sternen · 1 Kritik")
        keep_screenshot(page, "critic-reviews-a-film")

    browse(visit)


def test_editor_adds_a_photo_with_its_credit_to_a_person(browse, site, editor, demo_film, tmp_path):
    photo = image_file(tmp_path, "cotillard.jpg", (400, 500), (60, 90, 140))

    def add_photo(page):
        log_in(page, site, "redakteurin")
        open_model(page, "Personen")
        page.locator("#searchbar").fill("cotillard")
        page.get_by_role("button", name="Suchen").click()
        page.get_by_role("link", name="Marion Cotillard").click()

        page.locator("#id_photo").set_input_files(photo)
        page.get_by_label("Bildnachweis").fill("Foto: Georges Biard")
        page.get_by_label("Quelle oder Lizenz").fill("CC BY-SA 3.0")
        save_and_continue(page)
        expect(page.locator(".messagelist")).to_contain_text("erfolgreich geändert")
        preview = page.get_by_role("img", name="Foto von Marion Cotillard")
        expect(preview).to_have_js_property("complete", True)

        page.get_by_role("link", name="Auf der Seite ansehen").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Marion Cotillard")
        portrait = page.get_by_role("img", name="Foto: Marion Cotillard")
        expect(portrait).to_be_visible()
        expect(portrait).to_have_js_property("complete", True)
        assert portrait.evaluate("image => image.naturalWidth") > 0
        expect(page.locator(".person__figure figcaption")).to_have_text(
            "Foto: Georges Biard · CC BY-SA 3.0"
        )
        keep_screenshot(page, "editor-adds-a-photo")

    browse(add_photo)

    person = Person.objects.get(name="Marion Cotillard")
    assert person.photo
    assert (person.photo_width, person.photo_height) == (400, 500)
    assert (person.photo_credit, person.photo_credit_note) == (
        "Foto: Georges Biard",
        "CC BY-SA 3.0",
    )
    # Saved as opened: the filmography is still there, and no empty row was added.
    assert list(person.credits.values_list("role", "character")) == [
        (Credit.Role.CAST, "Stéphanie")
    ]


def cast_and_crew(film: Film) -> list[tuple]:
    return list(film.credits.order_by("pk").values_list("pk", "person__name", "role", "character"))


def test_two_tabs_editing_different_fields_of_one_film_both_land(browse, site, editor, demo_film):
    credits = cast_and_crew(demo_film)
    new_title = "Der Geschmack von Rost und Knochen (Director's Cut)"
    new_synopsis = "Eine Waltrainerin und ein Boxer finden zueinander."

    def edit_in_two_tabs(tab_a):
        log_in(tab_a, site, "redakteurin")
        open_model(tab_a, "Filme")
        tab_a.get_by_role("link", name=demo_film.title).click()
        expect(tab_a.locator("#id_title")).to_have_value(demo_film.title)
        tab_b = tab_a.context.new_page()
        tab_b.goto(tab_a.url)
        expect(tab_b.locator("#id_title")).to_have_value(demo_film.title)

        tab_a.locator("#id_title").fill(new_title)
        save_and_continue(tab_a)
        expect(tab_a.locator(".messagelist")).to_contain_text("erfolgreich geändert")

        tab_b.locator("#id_synopsis").fill(new_synopsis)
        save_and_continue(tab_b)
        try:
            expect(tab_b.locator(".messagelist")).to_contain_text("zusammengeführt")
            expect(tab_b.locator("#id_title")).to_have_value(new_title)
            expect(tab_b.locator("#id_synopsis")).to_have_value(new_synopsis)
        finally:
            # Tab B is where the journey ends: kept whatever it shows (a failure's own
            # screenshot is of tab A).
            keep_screenshot(tab_b, "two-tabs-merge")

    browse(edit_in_two_tabs)

    demo_film.refresh_from_db()
    assert (demo_film.title, demo_film.synopsis) == (new_title, new_synopsis)
    # Both pages sent the cast and crew as they showed them: the merge kept every row once.
    assert cast_and_crew(demo_film) == credits
