"""An IMDb import while editors work: no form opened before it saves old values back."""

from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.urls import reverse

from films.models import Film
from people.models import Person
from tests.admin_forms import change_form_data

BASICS_HEADER = (
    "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear"
    "\truntimeMinutes\tgenres\n"
)


def import_imdb(directory: Path) -> None:
    call_command("import_imdb", str(directory), stdout=StringIO())


def write_basics(directory: Path, *rows: str) -> None:
    text = BASICS_HEADER + "".join(f"{row}\n" for row in rows)
    (directory / "title.basics.tsv").write_text(text, encoding="utf-8")


def non_field_errors(response) -> str:
    return " ".join(str(error) for error in response.context["adminform"].form.non_field_errors())


def test_a_form_opened_before_an_import_changed_the_title_cannot_put_it_back(
    editor_client, tmp_path
):
    write_basics(tmp_path, "tt0000001\tmovie\tAlter Titel\tAlter Titel\t0\t1999\t\\N\t90\tDrama")
    import_imdb(tmp_path)
    film = Film.objects.get(imdb_id="tt0000001")
    url = reverse("admin:films_film_change", args=[film.pk])
    page = editor_client.get(url)

    write_basics(tmp_path, "tt0000001\tmovie\tNeuer Titel\tAlter Titel\t0\t1999\t\\N\t90\tDrama")
    import_imdb(tmp_path)
    refused = editor_client.post(url, change_form_data(page, synopsis="Eine neue Kurzfassung."))

    assert refused.status_code == 200
    message = non_field_errors(refused)
    assert "nicht gespeichert" in message
    assert "Titel: „Alter Titel“ → „Neuer Titel“" in message
    film.refresh_from_db()
    assert film.title == "Neuer Titel"
    assert film.synopsis == ""


def test_a_form_opened_before_an_import_added_a_genre_cannot_remove_it(editor_client, tmp_path):
    write_basics(tmp_path, "tt0000001\tmovie\tEin Titel\tEin Titel\t0\t1999\t\\N\t90\tDrama")
    import_imdb(tmp_path)
    film = Film.objects.get(imdb_id="tt0000001")
    url = reverse("admin:films_film_change", args=[film.pk])
    page = editor_client.get(url)

    write_basics(tmp_path, "tt0000001\tmovie\tEin Titel\tEin Titel\t0\t1999\t\\N\t90\tDrama,Crime")
    import_imdb(tmp_path)
    refused = editor_client.post(url, change_form_data(page, synopsis="Eine neue Kurzfassung."))

    assert refused.status_code == 200
    assert "Genres: „Drama“ → „Drama, Krimi“" in non_field_errors(refused)
    assert sorted(film.genres.values_list("name", flat=True)) == ["Drama", "Krimi"]


def test_a_person_form_opened_before_an_import_changed_the_name_cannot_put_it_back(
    editor_client, tmp_path
):
    write_basics(tmp_path, "tt0000001\tmovie\tEin Titel\tEin Titel\t0\t1999\t\\N\t90\tDrama")
    names = tmp_path / "name.basics.tsv"
    header = "nconst\tprimaryName\tbirthYear\tdeathYear\tprimaryProfession\tknownForTitles\n"
    names.write_text(header + "nm0000001\tAnna Alt\t1950\t\\N\tactress\t\\N\n", encoding="utf-8")
    import_imdb(tmp_path)
    person = Person.objects.get(imdb_id="nm0000001")
    url = reverse("admin:people_person_change", args=[person.pk])
    page = editor_client.get(url)

    names.write_text(header + "nm0000001\tAnna Neu\t1950\t\\N\tactress\t\\N\n", encoding="utf-8")
    import_imdb(tmp_path)
    refused = editor_client.post(url, change_form_data(page, bio="Eine Biografie."))

    assert refused.status_code == 200
    assert "Name: „Anna Alt“ → „Anna Neu“" in non_field_errors(refused)
    person.refresh_from_db()
    assert (person.name, person.bio) == ("Anna Neu", "")


def test_an_import_that_changes_nothing_refuses_no_open_form(editor_client, tmp_path):
    write_basics(tmp_path, "tt0000001\tmovie\tEin Titel\tEin Titel\t0\t1999\t\\N\t90\tDrama")
    import_imdb(tmp_path)
    film = Film.objects.get(imdb_id="tt0000001")
    url = reverse("admin:films_film_change", args=[film.pk])
    page = editor_client.get(url)

    import_imdb(tmp_path)
    saved = editor_client.post(url, change_form_data(page, synopsis="Eine neue Kurzfassung."))

    assert saved.status_code == 302
    film.refresh_from_db()
    assert film.synopsis == "Eine neue Kurzfassung."
