"""Two editors who changed the same field or credit differently: both versions are shown
side by side, and the editor's choice for each saves along with everything else."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from films.models import Film
from people.models import Credit, Person
from tests.admin_forms import change_form_data, errors_of, rendered_form
from tests.conftest import make_user
from tests.pages import visible_text


@pytest.fixture
def two_editors(editor):
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(make_user("zweiter", "Redaktion"))
    return first, second


@pytest.fixture
def film_url(demo_film) -> str:
    return reverse("admin:films_film_change", args=[demo_film.pk])


def row_of(data: dict, character: str) -> str:
    return next(
        key.split("-")[1]
        for key, value in data.items()
        if key.startswith("credits-") and key.endswith("-character") and value == character
    )


def credit_changes(page, **characters_by_row: str) -> dict:
    """The page's form data with credits changed: {old character: new character, or None
    to delete the row}."""
    data = change_form_data(page)
    for old, new in characters_by_row.items():
        row = row_of(data, old)
        if new is None:
            data[f"credits-{row}-DELETE"] = "on"
        else:
            data[f"credits-{row}-character"] = new
    return data


def row_choice(response) -> str:
    """The name of the choice the page offers for a conflicting credit row."""
    return next(c.name for c in rendered_form(response) if c.name.endswith("-lock_choice"))


def save(client: Client, url: str, data: dict) -> None:
    response = client.post(url, data)
    assert response.status_code == 302, errors_of(response)


def cotillard(film: Film) -> Credit | None:
    return film.credits.filter(person__name="Marion Cotillard").first()


def conflict_panel(response) -> str:
    html = response.content.decode()
    start = html.index('id="lock-merge"')
    return visible_text(html[start : html.index("</table>", start)])


def test_a_field_both_changed_is_shown_side_by_side_with_a_choice(two_editors, demo_film, film_url):
    first, second = two_editors
    page_first, page_second = first.get(film_url), second.get(film_url)
    save(first, film_url, change_form_data(page_first, title="Erster Titel"))
    shown = second.post(
        film_url, change_form_data(page_second, title="Zweiter Titel", synopsis="Neu.")
    )

    assert shown.status_code == 200
    panel = conflict_panel(shown)
    assert "Titel Erster Titel Zweiter Titel" in panel
    assert "Meine Fassung übernehmen" in panel and "Gespeicherte Fassung behalten" in panel
    assert "von redakteurin um" in panel and "Noch ist nichts gespeichert" in panel
    assert "Kurzinhalt" not in panel.split("Von beiden geändert")[1]
    html = shown.content.decode()
    assert "unten aufgeführten Fehler" not in html
    assert html.count('class="errornote"') == 1
    film = Film.objects.get(pk=demo_film.pk)
    assert (film.title, film.synopsis) == ("Erster Titel", demo_film.synopsis)


@pytest.mark.parametrize(("choice", "title"), [("mine", "Zweiter Titel"), ("stored", "Erster")])
def test_the_choice_saves_with_the_changes_that_merge(
    two_editors, demo_film, film_url, choice, title
):
    first, second = two_editors
    page_first, page_second = first.get(film_url), second.get(film_url)
    save(first, film_url, change_form_data(page_first, title="Erster", runtime="121"))
    shown = second.post(
        film_url, change_form_data(page_second, title="Zweiter Titel", synopsis="Neu.")
    )
    assert shown.status_code == 200

    chosen = second.post(film_url, change_form_data(shown, lock_choice_title=choice))
    assert chosen.status_code == 302, conflict_panel(chosen)
    film = Film.objects.get(pk=demo_film.pk)
    assert (film.title, film.synopsis, film.runtime) == (title, "Neu.", 121)
    assert any("zusammengeführt" in str(m) for m in get_messages(chosen.wsgi_request))


def test_a_choice_is_asked_again_when_someone_saved_since_it_was_shown(
    two_editors, demo_film, film_url
):
    first, second = two_editors
    page_first, page_second = first.get(film_url), second.get(film_url)
    save(first, film_url, change_form_data(page_first, title="Erster"))
    shown = second.post(film_url, change_form_data(page_second, title="Zweiter"))
    assert shown.status_code == 200
    save(first, film_url, change_form_data(first.get(film_url), title="Dritter"))

    asked = second.post(film_url, change_form_data(shown, lock_choice_title="mine"))
    assert asked.status_code == 200
    assert "Titel Dritter Zweiter" in conflict_panel(asked)
    assert Film.objects.get(pk=demo_film.pk).title == "Dritter"


def test_credits_changed_one_by_each_editor_both_land(two_editors, demo_film, film_url):
    first, second = two_editors
    page_first, page_second = first.get(film_url), second.get(film_url)
    others = demo_film.credits.exclude(character="Stéphanie").exclude(character="")
    other = others.first()
    save(first, film_url, credit_changes(page_first, Stéphanie="Stéphanie M."))
    changed = credit_changes(page_second, **{other.character: "Ein anderer Name"})

    merged = second.post(film_url, changed)
    assert merged.status_code == 302
    assert cotillard(demo_film).character == "Stéphanie M."
    assert Credit.objects.get(pk=other.pk).character == "Ein anderer Name"


def test_a_credit_both_changed_differently_conflicts(two_editors, demo_film, film_url):
    first, second = two_editors
    page_first, page_second = first.get(film_url), second.get(film_url)
    save(first, film_url, credit_changes(page_first, Stéphanie="Stéphanie A"))
    shown = second.post(film_url, credit_changes(page_second, Stéphanie="Stéphanie B"))

    assert shown.status_code == 200
    assert (
        "Besetzung und Crew Marion Cotillard – Darsteller (Stéphanie A) "
        "Marion Cotillard – Darsteller (Stéphanie B)"
    ) in conflict_panel(shown)
    save(second, film_url, change_form_data(shown, **{row_choice(shown): "mine"}))
    assert cotillard(demo_film).character == "Stéphanie B"


@pytest.mark.parametrize(
    ("choice", "kept"), [("mine", "Stéphanie B"), ("stored", None)], ids=["mine", "stored"]
)
def test_a_credit_deleted_by_one_and_edited_by_the_other_conflicts(
    two_editors, demo_film, film_url, choice, kept
):
    first, second = two_editors
    page_first, page_second = first.get(film_url), second.get(film_url)
    save(first, film_url, credit_changes(page_first, Stéphanie=None))
    data = credit_changes(page_second, Stéphanie="Stéphanie B")
    data["runtime"] = "121"
    shown = second.post(film_url, data)

    assert shown.status_code == 200
    assert "Marion Cotillard – Darsteller (Stéphanie B)" in conflict_panel(shown)
    assert "(gelöscht)" in conflict_panel(shown)
    assert cotillard(demo_film) is None
    save(second, film_url, change_form_data(shown, **{row_choice(shown): choice}))
    credit = cotillard(demo_film)
    assert (credit and credit.character) == kept
    assert Film.objects.get(pk=demo_film.pk).runtime == 121


@pytest.mark.parametrize(
    ("choice", "kept"), [("mine", None), ("stored", "Stéphanie A")], ids=["mine", "stored"]
)
def test_a_credit_edited_by_one_and_deleted_by_the_other_conflicts(
    two_editors, demo_film, film_url, choice, kept
):
    first, second = two_editors
    page_first, page_second = first.get(film_url), second.get(film_url)
    save(first, film_url, credit_changes(page_first, Stéphanie="Stéphanie A"))
    shown = second.post(film_url, credit_changes(page_second, Stéphanie=None))

    assert shown.status_code == 200
    assert "Marion Cotillard – Darsteller (Stéphanie A) (gelöscht)" in conflict_panel(shown)
    save(second, film_url, change_form_data(shown, **{row_choice(shown): choice}))
    credit = cotillard(demo_film)
    assert (credit and credit.character) == kept


def test_a_credit_deleted_by_one_and_left_alone_by_the_other_stays_deleted(
    two_editors, demo_film, film_url
):
    first, second = two_editors
    page_first, page_second = first.get(film_url), second.get(film_url)
    save(first, film_url, credit_changes(page_first, Stéphanie=None))

    merged = second.post(film_url, change_form_data(page_second, runtime="121"))
    assert merged.status_code == 302
    assert cotillard(demo_film) is None
    assert Film.objects.get(pk=demo_film.pk).runtime == 121


def test_a_credit_changed_on_a_person_page_and_on_the_film_page_conflicts(
    two_editors, demo_film, film_url
):
    first, second = two_editors
    film_page = second.get(film_url)
    person = Person.objects.get(name="Marion Cotillard")
    person_url = reverse("admin:people_person_change", args=[person.pk])
    person_data = credit_changes(first.get(person_url), Stéphanie="Auf der Personenseite")
    save(first, person_url, person_data)

    shown = second.post(film_url, credit_changes(film_page, Stéphanie="Auf der Filmseite"))
    assert shown.status_code == 200
    assert "Darsteller (Auf der Personenseite)" in conflict_panel(shown)
    assert cotillard(demo_film).character == "Auf der Personenseite"


def test_a_merge_waits_for_the_other_errors_to_be_fixed_and_saves_nothing_before(
    two_editors, demo_film, film_url
):
    first, second = two_editors
    page_first, page_second = first.get(film_url), second.get(film_url)
    save(first, film_url, change_form_data(page_first, title="Erster"))
    shown = second.post(film_url, change_form_data(page_second, synopsis="Neu.", runtime="0"))

    assert shown.status_code == 200
    html = shown.content.decode()
    assert "unten aufgeführten Fehler korrigieren" in html
    assert "Ihre Änderungen werden beim Speichern mit diesen zusammengeführt" in html
    assert Film.objects.get(pk=demo_film.pk).synopsis == demo_film.synopsis
    save(second, film_url, change_form_data(shown, runtime="121"))
    film = Film.objects.get(pk=demo_film.pk)
    assert (film.title, film.synopsis, film.runtime) == ("Erster", "Neu.", 121)
