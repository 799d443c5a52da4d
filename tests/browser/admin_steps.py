"""What editors and critics do in the admin, step by step, for the browser journeys."""

import io
from pathlib import Path

from PIL import Image
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import keep_artifact

# The password of the users that tests/conftest.py makes.
PASSWORD = "geheim-und-lang-genug"


def image_file(folder: Path, name: str, size: tuple[int, int], colour: tuple[int, int, int]):
    """A JPEG of one colour, as an editor would pick it from their disk."""
    path = folder / name
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def log_in(page: Page, site: str, username: str) -> None:
    page.goto(site + "/admin/")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", name="Inhalte verwalten")).to_be_visible()


def open_model(page: Page, name: str, link: str | None = None) -> None:
    """On the admin's start page, follows the link `link` (default: the list) in the row
    of the model named `name` ("Personen", "Kritiken")."""
    row = page.locator("#content-main tr").filter(
        has=page.get_by_role("rowheader", name=name, exact=True)
    )
    row.get_by_role("link", name=link or name, exact=True).click()


def choose(page: Page, field: Locator, typed: str, name: str) -> None:
    """Picks `name` in an autocomplete (select2) `field` by typing `typed` and clicking
    the suggestion, as an editor does."""
    selection = field.locator(".select2-selection")
    selection.click()
    page.locator(".select2-container--open .select2-search__field").press_sequentially(typed)
    page.locator(".select2-results__option", has_text=name).click()
    expect(selection).to_contain_text(name)


def choose_person(page: Page, row: int, typed: str, name: str) -> None:
    """Picks a person in row `row` of a film's "Besetzung und Crew"."""
    choose(page, page.locator(f"#credits-{row} .field-person"), typed, name)


def save_and_continue(page: Page) -> None:
    page.get_by_role("button", name="Sichern und weiter bearbeiten").first.click()


def keep_screenshot(page: Page, journey: str) -> None:
    """The journey's last page, kept in tests/browser/artifacts/ whether it passed or not."""
    keep_artifact(f"{journey}.png", page.screenshot(full_page=True))
