"""Rows the database cannot store, or a page cannot show, are counted and skipped."""

from io import StringIO
from pathlib import Path

from django.core.management import call_command

from films.models import AlternativeTitle, Film
from people.models import Credit, Person

BASICS_HEADER = (
    "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear"
    "\truntimeMinutes\tgenres\n"
)
AKAS_HEADER = "titleId\tordering\ttitle\tregion\tlanguage\ttypes\tattributes\tisOriginalTitle\n"
PRINCIPALS_HEADER = "tconst\tordering\tnconst\tcategory\tjob\tcharacters\n"
CREW_HEADER = "tconst\tdirectors\twriters\n"
NAMES_HEADER = "nconst\tprimaryName\tbirthYear\tdeathYear\tprimaryProfession\tknownForTitles\n"
BAD_TEXT = "Steuer- oder Nichtzeichen im Text"
TOO_LONG_ID = "99999999999999999999999"


def run_import(directory: Path) -> str:
    out = StringIO()
    call_command("import_imdb", str(directory), stdout=out)
    return out.getvalue()


def write(directory: Path, name: str, header: str, *rows: str) -> None:
    (directory / name).write_text(header + "".join(f"{row}\n" for row in rows), encoding="utf-8")


def basics(tconst: str, title: str, *, original: str | None = None, genres: str = "Drama") -> str:
    return f"{tconst}\tmovie\t{title}\t{original or title}\t0\t2001\t\\N\t90\t{genres}"


def test_a_nul_byte_skips_its_row_in_every_file_and_the_import_goes_on(db, tmp_path):
    write(
        tmp_path,
        "title.basics.tsv",
        BASICS_HEADER,
        basics("tt0000001", "Gut"),
        basics("tt0000002", "Null\x00Titel"),
        basics("tt0000003", "Nullgenre", genres="Dra\x00ma"),
        # isAdult is not imported: a NUL there harms nothing.
        "tt0000004\tmovie\tUngelesen\tUngelesen\t0\x00\t2001\t\\N\t90\tDrama",
    )
    write(
        tmp_path,
        "title.akas.tsv",
        AKAS_HEADER,
        "tt0000001\t1\tGut auf Deutsch\tDE\tde\timdbDisplay\t\\N\t0",
        "tt0000001\t2\tNull\x00Aka\tAT\tde\t\\N\t\\N\t0",
    )
    write(
        tmp_path,
        "name.basics.tsv",
        NAMES_HEADER,
        "nm0000001\tAnna\t1950\t\\N\tactress\t\\N",
        "nm0000002\tNull\x00Name\t1950\t\\N\tactor\t\\N",
    )
    write(
        tmp_path,
        "title.principals.tsv",
        PRINCIPALS_HEADER,
        'tt0000001\t1\tnm0000001\tactress\t\\N\t["Eve"]',
        'tt0000001\t2\tnm0000002\tactor\t\\N\t["Bob"]',
        'tt0000004\t1\tnm0000001\tactress\t\\N\t["Null\x00Rolle"]',
        # JSON spells a NUL without one in the file.
        'tt0000004\t2\tnm0000001\tactress\t\\N\t["Escaped\\u0000Rolle"]',
    )

    out = run_import(tmp_path)

    assert set(Film.objects.values_list("imdb_id", flat=True)) == {"tt0000001", "tt0000004"}
    assert Film.objects.get(imdb_id="tt0000001").title == "Gut auf Deutsch"
    assert list(AlternativeTitle.objects.values_list("title", flat=True)) == ["Gut auf Deutsch"]
    assert list(Person.objects.values_list("name", flat=True)) == ["Anna"]
    assert list(Credit.objects.values_list("film__imdb_id", "character")) == [("tt0000001", "Eve")]
    assert f"6 × {BAD_TEXT}" in out
    for line in [
        f"title.basics.tsv, Zeile 3: {BAD_TEXT}",
        f"title.basics.tsv, Zeile 4: {BAD_TEXT}",
        f"title.akas.tsv, Zeile 3: {BAD_TEXT}",
        f"name.basics.tsv, Zeile 3: {BAD_TEXT}",
        f"title.principals.tsv, Zeile 4: {BAD_TEXT}",
        f"title.principals.tsv, Zeile 5: {BAD_TEXT}",
        # Its person was refused: the credit names nobody the import knows.
        "title.principals.tsv, Zeile 3: Person fehlt in name.basics",
    ]:
        assert line in out


def test_control_characters_and_noncharacters_are_refused_like_in_the_admin(db, tmp_path):
    write(
        tmp_path,
        "title.basics.tsv",
        BASICS_HEADER,
        basics("tt0000001", "Klingel\x07Film"),
        basics("tt0000002", "Gut", original="Nicht\ufdd0zeichen"),
        basics("tt0000003", "Auch gut"),
        # Tab and line breaks are the visible-text rule's exceptions; a lone "\r" stays.
        basics("tt0000004", "Zeilen\rumbruch"),
    )
    write(
        tmp_path,
        "title.akas.tsv",
        AKAS_HEADER,
        # A refused German title leaves the film its primary title.
        "tt0000003\t1\tEscape\x1b Deutsch\tDE\tde\timdbDisplay\t\\N\t0",
        "tt0000003\t2\tEnde\U0010ffff\tDE\tde\t\\N\t\\N\t0",
    )
    write(
        tmp_path,
        "name.basics.tsv",
        NAMES_HEADER,
        "nm0000001\tAnna\t1950\t\\N\tactress\t\\N",
        "nm0000002\tSteuer\x85zeichen\t1950\t\\N\tactor\t\\N",
    )
    write(
        tmp_path,
        "title.principals.tsv",
        PRINCIPALS_HEADER,
        'tt0000003\t1\tnm0000001\tactress\t\\N\t["Klingel\\u0007"]',
        'tt0000003\t2\tnm0000001\tactress\t\\N\t["Halb\\ud800"]',
        'tt0000003\t3\tnm0000001\tactress\t\\N\t["Eve"]',
    )

    out = run_import(tmp_path)

    titles = dict(Film.objects.values_list("imdb_id", "title"))
    assert titles == {"tt0000003": "Auch gut", "tt0000004": "Zeilen\rumbruch"}
    assert not AlternativeTitle.objects.exists()
    assert list(Person.objects.values_list("name", flat=True)) == ["Anna"]
    assert list(Credit.objects.values_list("character", flat=True)) == ["Eve"]
    assert f"7 × {BAD_TEXT}" in out


def test_an_overlong_id_is_a_bad_id_and_the_import_goes_on(db, tmp_path):
    write(
        tmp_path,
        "title.basics.tsv",
        BASICS_HEADER,
        basics("tt0000001", "Gut"),
        basics(f"tt{TOO_LONG_ID}", "Zu lang"),
    )
    write(
        tmp_path,
        "title.akas.tsv",
        AKAS_HEADER,
        f"tt{TOO_LONG_ID}\t1\tZu lang\tDE\tde\timdbDisplay\t\\N\t0",
    )
    write(
        tmp_path,
        "name.basics.tsv",
        NAMES_HEADER,
        "nm0000001\tAnna\t1950\t\\N\tactress\t\\N",
        f"nm{TOO_LONG_ID}\tZu Lang\t1950\t\\N\tactor\t\\N",
    )
    write(
        tmp_path,
        "title.principals.tsv",
        PRINCIPALS_HEADER,
        'tt0000001\t1\tnm0000001\tactress\t\\N\t["Eve"]',
        f'tt0000001\t2\tnm{TOO_LONG_ID}\tactor\t\\N\t["Bob"]',
    )
    write(tmp_path, "title.crew.tsv", CREW_HEADER, f"tt0000001\tnm0000001,nm{TOO_LONG_ID}\t\\N")

    out = run_import(tmp_path)

    assert list(Film.objects.values_list("imdb_id", flat=True)) == ["tt0000001"]
    assert list(Person.objects.values_list("imdb_id", flat=True)) == ["nm0000001"]
    assert set(Credit.objects.values_list("role", flat=True)) == {"cast", "director"}
    for line in [
        "title.basics.tsv, Zeile 3: Titel ohne gültige ID oder Namen",
        "title.akas.tsv, Zeile 2: Alternativtitel ohne ID oder Titel",
        "name.basics.tsv, Zeile 3: Person ohne gültige ID oder Namen",
        "title.principals.tsv, Zeile 3: Mitwirkung ohne gültige IDs oder Reihenfolge",
        "title.crew.tsv, Zeile 2: Crew mit ungültiger Personen-ID",
    ]:
        assert line in out
    assert "fehlerhafte Zeilen: 5" in out
