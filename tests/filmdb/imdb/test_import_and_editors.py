"""An IMDb import while editors work: no form opened before it saves old values back, and
no save waits for the import to end."""

import shutil
import threading
import time
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from filmdb.imdb import importer
from films.models import Film
from people.models import Credit, Person
from tests import DATA
from tests.admin_forms import change_form_data
from tests.conftest import make_user

SAMPLES = DATA / "imdb-sample"
BASICS_HEADER = (
    "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear"
    "\truntimeMinutes\tgenres\n"
)


def import_imdb(directory: Path) -> None:
    call_command("import_imdb", str(directory), stdout=StringIO())


def write_basics(directory: Path, *rows: str) -> None:
    text = BASICS_HEADER + "".join(f"{row}\n" for row in rows)
    (directory / "title.basics.tsv").write_text(text, encoding="utf-8")


def messages_after(response) -> str:
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def save_after_reimport(editor_client, tmp_path, before: str, after: str):
    """Import title.basics row `before`, open the film's change form, import `after`, then
    save the form opened before with a new synopsis: (film, response)."""
    write_basics(tmp_path, before)
    import_imdb(tmp_path)
    film = Film.objects.get(imdb_id="tt0000001")
    url = reverse("admin:films_film_change", args=[film.pk])
    page = editor_client.get(url)
    write_basics(tmp_path, after)
    import_imdb(tmp_path)
    return film, editor_client.post(url, change_form_data(page, synopsis="Eine neue Kurzfassung."))


def test_a_form_opened_before_an_import_changed_the_title_cannot_put_it_back(
    editor_client, tmp_path
):
    film, merged = save_after_reimport(
        editor_client,
        tmp_path,
        "tt0000001\tmovie\tAlter Titel\tAlter Titel\t0\t1999\t\\N\t90\tDrama",
        "tt0000001\tmovie\tNeuer Titel\tAlter Titel\t0\t1999\t\\N\t90\tDrama",
    )

    assert merged.status_code == 302
    message = messages_after(merged)
    assert "zusammengeführt" in message
    assert "Titel: „Alter Titel“ → „Neuer Titel“" in message
    film.refresh_from_db()
    assert film.title == "Neuer Titel"
    assert film.synopsis == "Eine neue Kurzfassung."


def test_a_form_opened_before_an_import_added_a_genre_cannot_remove_it(editor_client, tmp_path):
    film, merged = save_after_reimport(
        editor_client,
        tmp_path,
        "tt0000001\tmovie\tEin Titel\tEin Titel\t0\t1999\t\\N\t90\tDrama",
        "tt0000001\tmovie\tEin Titel\tEin Titel\t0\t1999\t\\N\t90\tDrama,Crime",
    )

    assert merged.status_code == 302
    assert "Genres: „Drama“ → „Drama, Krimi“" in messages_after(merged)
    assert sorted(film.genres.values_list("name", flat=True)) == ["Drama", "Krimi"]
    film.refresh_from_db()
    assert film.synopsis == "Eine neue Kurzfassung."


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
    merged = editor_client.post(url, change_form_data(page, bio="Eine Biografie."))

    assert merged.status_code == 302
    assert "Name: „Anna Alt“ → „Anna Neu“" in messages_after(merged)
    person.refresh_from_db()
    assert (person.name, person.bio) == ("Anna Neu", "Eine Biografie.")


def test_an_import_that_changes_nothing_refuses_no_open_form(editor_client, tmp_path):
    row = "tt0000001\tmovie\tEin Titel\tEin Titel\t0\t1999\t\\N\t90\tDrama"
    film, saved = save_after_reimport(editor_client, tmp_path, row, row)

    assert saved.status_code == 302
    film.refresh_from_db()
    assert film.synopsis == "Eine neue Kurzfassung."


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_editors_save_films_and_people_while_the_import_writes_their_credits(tmp_path, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    # Films and people first; the credits come with the second import.
    for name in ["title.basics.tsv", "name.basics.tsv"]:
        shutil.copy(SAMPLES / "small-mixed" / name, tmp_path / name)
    import_imdb(tmp_path)
    for name in ["title.principals.tsv", "title.crew.tsv"]:
        shutil.copy(SAMPLES / "small-mixed" / name, tmp_path / name)
    film = Film.objects.get(imdb_id="tt0037820")
    person = Person.objects.get(imdb_id="nm0000472")
    editor = Client()
    editor.force_login(make_user("redakteurin", "Redaktion"))
    film_url = reverse("admin:films_film_change", args=[film.pk])
    person_url = reverse("admin:people_person_change", args=[person.pk])
    film_page, person_page = editor.get(film_url), editor.get(person_url)

    # The import stops inside the transaction that writes the credits, after the insert
    # and its foreign-key checks (which Django's deferred constraints run at the commit).
    inside, go_on = threading.Event(), threading.Event()
    write = importer.execute

    def execute_and_wait(sql, params=()):
        count = write(sql, params)
        if f"INSERT INTO {Credit._meta.db_table}" in sql and not inside.is_set():
            write("SET CONSTRAINTS ALL IMMEDIATE")
            inside.set()
            go_on.wait(30)
        return count

    monkeypatch.setattr(importer, "execute", execute_and_wait)

    def run_import():
        try:
            import_imdb(tmp_path)
        finally:
            connection.close()

    running = threading.Thread(target=run_import)
    running.start()
    try:
        assert inside.wait(30), "the import never reached the credits"
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")
        started = time.monotonic()
        saved_film = editor.post(film_url, change_form_data(film_page, synopsis="Neu."))
        saved_person = editor.post(person_url, change_form_data(person_page, bio="Neu."))
        seconds = time.monotonic() - started
    finally:
        go_on.set()
        running.join(60)
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")

    assert (saved_film.status_code, saved_person.status_code) == (302, 302)
    assert seconds < 2
    assert Film.objects.get(pk=film.pk).synopsis == "Neu."
    assert Person.objects.get(pk=person.pk).bio == "Neu."
    assert film.credits.filter(person=person).exists()  # and the import finished
    assert Credit.objects.count() == 148  # as many as when the steps run one by one
