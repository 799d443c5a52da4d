import datetime
import gzip
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from filmdb.imdb import importer
from filmdb.pages.search import search
from films.models import AlternativeTitle, Change, Film, Genre, GenreListing
from people.models import Credit, Person
from tests import DATA
from tests.billing import misbilled
from tests.pages import film_card_titles, page_text

SAMPLES = DATA / "imdb-sample"
BASICS_HEADER = (
    "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear"
    "\truntimeMinutes\tgenres\n"
)
PRINCIPALS_HEADER = "tconst\tordering\tnconst\tcategory\tjob\tcharacters\n"
NAMES_HEADER = "nconst\tprimaryName\tbirthYear\tdeathYear\tprimaryProfession\tknownForTitles\n"


def run_import(directory: Path, *args: str) -> str:
    out = StringIO()
    call_command("import_imdb", str(directory), *args, stdout=out)
    return out.getvalue()


def write(directory: Path, name: str, header: str, *rows: str) -> None:
    (directory / name).write_text(header + "".join(f"{row}\n" for row in rows), encoding="utf-8")


def imported_films():
    return Film.objects.filter(imdb_id__isnull=False)


def test_sample_imports_movies_and_tv_movies_and_skips_the_rest(db):
    out = run_import(SAMPLES / "small-mixed")
    assert imported_films().count() == 21  # 17 movies + 4 TV movies
    assert imported_films().filter(status=Film.Status.PUBLISHED).count() == 21
    for skipped in ["139 (Titeltyp tvEpisode)", "28 (Titeltyp short)", "9 (Titeltyp video)"]:
        assert f"übersprungen: {skipped}" in out
    assert "224 (Kategorie self)" in out
    assert "10 (Kategorie production_designer)" in out


def test_sample_credits_per_role_and_the_byte_order_mark(db):
    out = run_import(SAMPLES / "small-mixed")
    counts = dict(Credit.objects.values_list("role").annotate(n=Count("pk")))
    # Principals give 22 writers; title.crew adds the 10 writers principals lack.
    assert counts == {
        "cast": 51,
        "director": 21,
        "producer": 15,
        "writer": 32,
        "composer": 12,
        "cinematographer": 11,
        "editor": 6,
    }
    assert "Spalten fehlen" not in out  # the BOM before "tconst" was read as such
    assert Person.objects.count() == 139


def test_imported_films_are_as_popular_as_their_credits(db):
    run_import(SAMPLES / "small-mixed")
    films = imported_films().annotate(credited=Count("credits"))
    assert [film.popularity for film in films] == [film.credited for film in films]
    assert len({film.popularity for film in films}) > 1
    run_import(SAMPLES / "small-mixed")  # nothing new: nothing counted twice
    assert [film.popularity for film in films.all()] == [film.credited for film in films]


def test_imported_credits_are_billed_by_ordering_within_their_role(db):
    run_import(SAMPLES / "small-mixed")
    assert misbilled() == []
    assert Credit.objects.filter(role="cast", billing=2).exists()


def test_credits_imported_into_a_film_with_editors_credits_are_billed_with_them(db):
    run_import(SAMPLES / "small-mixed")
    film = imported_films().filter(credits__role="cast").first()
    # An editor's lead, ahead of the imported cast, and an imported credit removed.
    lead = Person.objects.create(name="Eine Hauptdarstellerin")
    Credit.objects.create(film=film, person=lead, role="cast", order=0)
    Credit.objects.filter(film=film, role="cast").exclude(person=lead).first().delete()
    assert misbilled() == []
    run_import(SAMPLES / "small-mixed")  # adds the removed credit again, behind the lead
    assert misbilled() == []
    first = Credit.objects.get(film=film, role="cast", billing=0)
    assert first.person == lead


def test_credit_order_follows_ordering_as_a_number_with_characters(db):
    run_import(SAMPLES / "small-mixed")
    film = Film.objects.get(imdb_id="tt0019679")
    assert film.title == "Battle of Paris"
    assert film.year == 1929 and film.runtime == 80
    assert [genre.name for genre in film.genres.all()] == ["Musical"]
    cast = film.credits.filter(role="cast").order_by("order")
    assert [credit.character for credit in cast] == [
        "Georgie",
        "Zizi",
        "Tony Trent",
        "Suzanne",
        "Harry",
        "Jack",
    ]
    assert film.credits.get(role="director").person.imdb_id == "nm0282984"


def test_people_get_birth_and_death_years(db):
    run_import(SAMPLES / "small-mixed")
    people = Person.objects.filter(birth_year__isnull=False)
    assert people.exists()
    assert all(p.search_text and p.slug for p in people)
    assert Person.objects.matching(people.first().name).exists()


def test_german_title_from_the_akas(db):
    run_import(SAMPLES / "famous-akas")
    godfather = Film.objects.get(imdb_id="tt0068646")
    assert (godfather.title, godfather.original_title) == ("Der Pate", "The Godfather")
    assert godfather.slug == "der-pate-1972"
    assert {genre.name for genre in godfather.genres.all()} == {"Krimi", "Drama"}
    assert AlternativeTitle.objects.filter(film=godfather, title="Natlimama", region="GE").exists()
    # A reissue title is taken only when there is no plain German title.
    assert (
        Film.objects.get(imdb_id="tt0078748").title
        == "Alien: Das unheimliche Wesen aus einer fremden Welt"
    )
    assert (
        Film.objects.get(imdb_id="tt0076759").title
        == "Krieg der Sterne - Folge IV: Eine neue Hoffnung"
    )
    found = search(Film.objects.all(), "padrino")
    assert list(found.values_list("imdb_id", flat=True)) == ["tt0068646"]


def test_importing_the_same_files_again_changes_nothing(db):
    run_import(SAMPLES / "small-mixed")
    run_import(SAMPLES / "famous-akas")
    models = [Film, Person, Credit, AlternativeTitle, Genre, GenreListing]
    before = {m.__name__: list(m.objects.order_by("pk").values()) for m in models}
    out = run_import(SAMPLES / "small-mixed") + run_import(SAMPLES / "famous-akas")
    after = {m.__name__: list(m.objects.order_by("pk").values()) for m in models}
    assert after == before
    assert "aktualisiert" not in out


def test_newer_files_update_changed_rows_but_never_an_editors_change(client, db, tmp_path):
    write(
        tmp_path,
        "title.basics.tsv",
        BASICS_HEADER,
        "tt0000001\tmovie\tOld Title\tOld Title\t0\t1999\t\\N\t90\tDrama",
    )
    write(tmp_path, "name.basics.tsv", NAMES_HEADER, "nm0000001\tAnna Alt\t1950\t\\N\tactress\t\\N")
    write(
        tmp_path,
        "title.principals.tsv",
        PRINCIPALS_HEADER,
        'tt0000001\t1\tnm0000001\tactress\t\\N\t["Eve"]',
    )
    run_import(tmp_path)
    assert film_card_titles(page_text(client.get("/genre/drama/"))) == ["Old Title"]
    film = Film.objects.get(imdb_id="tt0000001")
    film.original_title = "Vom Redakteur geändert"
    film.save()

    write(
        tmp_path,
        "title.basics.tsv",
        BASICS_HEADER,
        "tt0000001\tmovie\tNew Title\tNew Original\t0\t1999\t\\N\t95\tDrama,Comedy",
    )
    write(
        tmp_path, "name.basics.tsv", NAMES_HEADER, "nm0000001\tAnna Neu\t1950\t2020\tactress\t\\N"
    )
    out = run_import(tmp_path)
    film.refresh_from_db()
    assert film.title == "New Title"  # unchanged by editors: updated
    assert film.runtime == 95
    assert film.original_title == "Vom Redakteur geändert"  # the editor's change stays
    assert {genre.name for genre in film.genres.all()} == {"Drama", "Komödie"}
    for genre in Genre.objects.all():  # listed under its new title, in its new genre too
        assert film_card_titles(page_text(client.get(genre.get_absolute_url()))) == ["New Title"]
        assert genre.film_count == 1
    assert search(Film.objects.all(), "new title").get() == film
    assert film.title_key == "new title"  # an exact title ranks first by it
    person = Person.objects.get(imdb_id="nm0000001")
    assert (person.name, person.death_year) == ("Anna Neu", 2020)
    assert "aktualisiert: 1 Filme" in out

    film.title = "Redaktionstitel"
    film.save()
    write(
        tmp_path,
        "title.basics.tsv",
        BASICS_HEADER,
        "tt0000001\tmovie\tNewest Title\tNew Original\t0\t1999\t\\N\t95\tDrama",
    )
    run_import(tmp_path)
    film.refresh_from_db()
    assert film.title == "Redaktionstitel"


def test_bad_rows_are_counted_with_file_and_line_and_the_import_goes_on(db, tmp_path):
    write(
        tmp_path,
        "title.basics.tsv",
        BASICS_HEADER,
        'tt0000001\tmovie\tThe "Quoted" Title\tThe "Quoted" Title\t0\t2001\t\\N\t\\N\t\\N',
        "tt0000002\tmovie\tToo few columns",
        "tt0000003\tmovie\tToo\tmany\t0\t2001\t\\N\t90\tDrama\textra",
        "xx123\tmovie\tBad id\tBad id\t0\t2001\t\\N\t90\tDrama",
        "tt0000004\tmovie\tFine\tFine\t0\tsoon\t\\N\tlong\tDrama",
    )
    write(tmp_path, "name.basics.tsv", NAMES_HEADER, "nm0000001\tAnna\t\\N\t\\N\t\\N\t\\N")
    write(
        tmp_path,
        "title.principals.tsv",
        PRINCIPALS_HEADER,
        'tt0000001\t1\tnm0000001\tactress\t\\N\t["Eve"]',
        'tt0000001\t2\tnm0000999\tactor\t\\N\t["Ghost"]',
        "tt0000001\tx\tnm0000001\tactor\t\\N\t\\N",
        "tt0000001\t3\tnm0000001",
    )
    out = run_import(tmp_path)
    quoted = Film.objects.get(imdb_id="tt0000001")
    assert quoted.title == 'The "Quoted" Title'
    assert (quoted.year, quoted.runtime) == (2001, None)
    fine = Film.objects.get(imdb_id="tt0000004")
    assert (fine.year, fine.runtime) == (None, None)
    assert Credit.objects.get().character == "Eve"
    for line in [
        "title.basics.tsv, Zeile 3: 3 statt 9 Spalten",
        "title.basics.tsv, Zeile 4: 10 statt 9 Spalten",
        "title.basics.tsv, Zeile 5: Titel ohne gültige ID oder Namen",
        "title.principals.tsv, Zeile 4: Mitwirkung ohne gültige IDs oder Reihenfolge",
        "title.principals.tsv, Zeile 5: 3 statt 6 Spalten",
        "title.principals.tsv, Zeile 3: Person fehlt in name.basics",
    ]:
        assert line in out
    assert "fehlerhafte Zeilen: 6" in out


def test_digits_other_than_0_to_9_are_bad_values_not_a_crash(db, tmp_path):
    """Python's isdigit() takes superscripts and other scripts' digits; int() and the
    database's id check do not."""
    write(
        tmp_path,
        "title.basics.tsv",
        BASICS_HEADER,
        "tt\u0661\u0662\u0663\u0664\u0665\u0666\u0667\tmovie\tArabisch\tArabisch\t0\t2001\t\\N\t90\t\\N",
        "tt0000005\tmovie\tHoch\tHoch\t0\t\u00b2\u2070\u2070\u00b9\t\\N\t\u2079\u2070\tDrama",
    )
    write(tmp_path, "name.basics.tsv", NAMES_HEADER, "nm0000001\tAnna\t\\N\t\\N\t\\N\t\\N")
    write(
        tmp_path,
        "title.principals.tsv",
        PRINCIPALS_HEADER,
        "tt0000005\t\u00b2\tnm0000001\tactress\t\\N\t\\N",
    )
    out = run_import(tmp_path)
    film = Film.objects.get()
    assert (film.imdb_id, film.year, film.runtime) == ("tt0000005", None, None)
    assert not Credit.objects.exists()
    assert "title.basics.tsv, Zeile 2: Titel ohne gültige ID oder Namen" in out
    assert "title.principals.tsv, Zeile 2: Mitwirkung ohne gültige IDs oder Reihenfolge" in out


def test_only_the_first_20_bad_rows_are_shown_but_all_are_counted(db, tmp_path):
    write(tmp_path, "title.basics.tsv", BASICS_HEADER, *[f"tt{n:07}\tmovie" for n in range(1, 31)])
    out = run_import(tmp_path)
    assert "fehlerhafte Zeilen: 30" in out
    assert out.count("statt 9 Spalten") == 21  # the count line and 20 shown
    assert "Zeile 21:" in out and "Zeile 22:" not in out


def test_gzip_files_types_and_since(db, tmp_path):
    rows = [
        "tt0000001\tmovie\tAlt\tAlt\t0\t1960\t\\N\t90\tDrama",
        "tt0000002\tmovie\tNeu\tNeu\t0\t2020\t\\N\t90\tDrama",
        "tt0000003\tshort\tKurz\tKurz\t0\t2021\t\\N\t9\tShort",
    ]
    with gzip.open(tmp_path / "title.basics.tsv.gz", "wt", encoding="utf-8") as file:
        file.write(BASICS_HEADER + "".join(f"{row}\n" for row in rows))
    run_import(tmp_path, "--since", "2000")
    assert list(imported_films().values_list("title", flat=True)) == ["Neu"]
    run_import(tmp_path, "--types", "short", "--draft")
    assert Film.objects.get(imdb_id="tt0000003").status == Film.Status.DRAFT


def test_an_interrupted_import_is_completed_by_the_next_run(db, tmp_path, monkeypatch):
    for name in ["title.basics.tsv", "title.principals.tsv", "name.basics.tsv", "title.crew.tsv"]:
        shutil.copy(SAMPLES / "small-mixed" / name, tmp_path / name)

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(importer, "_credits", crash)
    with pytest.raises(KeyboardInterrupt):
        run_import(tmp_path)
    assert imported_films().count() == 21
    assert not Credit.objects.exists()  # consistent: films and people, no half credits

    monkeypatch.undo()
    run_import(tmp_path)
    assert Credit.objects.count() == 148


def test_without_title_basics_the_import_says_so(db, tmp_path):
    with pytest.raises(Exception, match="title.basics"):
        run_import(tmp_path)


def test_progress_is_plain_lines_when_not_on_a_terminal(db):
    out = run_import(SAMPLES / "small-mixed")
    assert "\r" not in out
    assert "title.principals.tsv: 1,185 Zeilen in" in out


def test_the_changes_feed_lists_what_an_import_adds_and_updates_and_no_more(db, clock):
    def listed() -> set[tuple[str, str]]:
        since = timezone.now() - datetime.timedelta(minutes=1)
        return set(Change.objects.feed(since=since, after=None).values_list("kind", "slug"))

    run_import(SAMPLES / "small-mixed")
    films = {("film", slug) for slug in imported_films().values_list("slug", flat=True)}
    people = {
        ("person", slug) for slug in Person.objects.published().values_list("slug", flat=True)
    }
    assert films and people
    assert listed() == films | people
    assert not Change.objects.filter(removed=True).exists()
    clock.shift(datetime.timedelta(minutes=5))
    run_import(SAMPLES / "small-mixed")  # nothing new
    assert listed() == set()


def test_films_imported_as_drafts_and_their_people_are_not_listed(db):
    run_import(SAMPLES / "small-mixed", "--draft")
    assert not Change.objects.exists()
