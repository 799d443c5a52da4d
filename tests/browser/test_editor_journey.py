"""An editor adds a film in the admin, with poster and credits, publishes it and looks at it."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from films.models import Film

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Porträt einer jungen Frau in Flammen"


def poster_file(tmp_path):
    path = tmp_path / "plakat.jpg"
    image = Image.new("RGB", (600, 900), (180, 70, 40))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def choose_person(page, row: int, typed: str, name: str) -> None:
    """Picks a person in row `row` of "Besetzung und Crew" through the autocomplete."""
    page.locator(f"#credits-{row} .field-person .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").press_sequentially(typed)
    page.locator(".select2-results__option", has_text=name).click()
    expect(page.locator(f"#credits-{row} .field-person .select2-selection")).to_contain_text(name)


def test_editor_adds_publishes_and_views_a_film_with_poster_and_credits(
    browse, site, editor, make_person, tmp_path
):
    make_person("Céline Sciamma")
    make_person("Noémie Merlant")
    make_person("Adèle Haenel")
    poster = poster_file(tmp_path)

    def add_and_view(page):
        page.goto(site + "/admin/")
        page.get_by_label("Benutzername").fill("redakteurin")
        page.get_by_label("Passwort").fill("geheim-und-lang-genug")
        page.get_by_role("button", name="Anmelden").click()
        expect(page.get_by_role("heading", name="Inhalte verwalten")).to_be_visible()

        page.goto(site + "/admin/films/film/add/")
        page.locator("#id_title").press_sequentially(TITLE)
        page.locator("#id_year").press_sequentially("2019")
        expect(page.locator("#id_slug")).to_have_value(re.compile(r"einer-jungen-frau.*-2019$"))
        page.locator("#id_status").select_option(label="Veröffentlicht")
        page.locator("#id_poster").set_input_files(poster)

        page.locator("#id_credits-0-role").select_option(label="Regisseur")
        choose_person(page, 0, "sciam", "Céline Sciamma")
        add_credit = page.locator("#credits-group .add-row a")
        for row, (typed, name, character) in enumerate(
            [("merla", "Noémie Merlant", "Marianne"), ("haen", "Adèle Haenel", "Héloïse")],
            start=1,
        ):
            add_credit.click()
            page.locator(f"#id_credits-{row}-role").select_option(label="Darsteller")
            choose_person(page, row, typed, name)
            page.locator(f"#id_credits-{row}-character").fill(character)
            page.locator(f"#id_credits-{row}-order").fill(str(row))

        page.get_by_role("button", name="Sichern und weiter bearbeiten").first.click()
        expect(page.locator(".messagelist")).to_contain_text("erfolgreich hinzugefügt")

        page.get_by_role("link", name="Auf der Seite ansehen").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
        poster_image = page.get_by_role("img", name=f"Filmplakat: {TITLE}")
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
        return page.url

    film_url = browse(add_and_view)

    film = Film.objects.get(title=TITLE)
    assert film_url == site + film.get_absolute_url()
    assert film.status == Film.Status.PUBLISHED
    assert film.poster
