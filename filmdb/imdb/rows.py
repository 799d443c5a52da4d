"""How each IMDb file's rows become staged rows, one NamedTuple per staging table.

A staged row's field named like a model column is copied into that column
(`staging.insert_new_rows`). Bad rows are counted in the summary, not staged.
"""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple, TextIO

from filmdb.imdb import mapping
from filmdb.imdb.reader import INVISIBLE, Problems, read_rows
from filmdb.imdb.summary import Summary
from filmdb.lib.folding import fold_for_search, fold_title, german_slugify
from people.models import Credit

# The fields an import writes and keeps in `imdb_snapshot`; an editor's change to one wins.
FILM_FIELDS = ["title", "original_title", "year", "runtime"]
PERSON_FIELDS = ["name", "birth_year", "death_year"]


class FilmRow(NamedTuple):
    imdb_id: str
    title: str
    original_title: str
    slug: str
    year: int | None
    runtime: int | None
    search_text: str
    title_key: str
    original_title_key: str
    imdb_snapshot: str
    genres: str  # German names between commas, so that SQL finds ",Krimi," without splitting


class AkaRow(NamedTuple):
    tconst: str
    title: str
    region: str
    kind: str
    search_text: str


class PersonRow(NamedTuple):
    imdb_id: str
    name: str
    slug: str
    birth_year: int | None
    death_year: int | None
    search_text: str
    imdb_snapshot: str


class CreditRow(NamedTuple):
    """Built positionally: the principals are the biggest file, and keyword arguments
    would make reading them a fifth slower."""

    tconst: str
    nconst: str
    role: str
    character: str
    ordering: int
    file: str  # file and line, to report credits naming people missing from name.basics
    line: int


def snapshot(values: dict) -> str:
    """The JSON kept in `imdb_snapshot`: sorted keys, so that the next import can tell
    unchanged values by comparing the text in SQL."""
    return json.dumps(values, sort_keys=True, ensure_ascii=False)


def german_titles(*, path: Path, out: TextIO) -> dict[str, str]:
    """tconst -> German title, from the region-DE akas (a small part of the file)."""
    best: dict[str, tuple[tuple, str]] = {}
    columns = ["titleId", "ordering", "title", "region", "types", "attributes"]
    rows = read_rows(path, columns, problems=Problems(), out=out)
    for _, (title_id, ordering, title, region, types, attributes) in rows:
        if region != "DE" or not title:
            continue
        rank = mapping.german_title_rank(
            types=types,
            attributes=attributes,
            ordering=int(ordering) if mapping.is_number(ordering or "") else 0,
        )
        if title_id not in best or rank < best[title_id][0]:
            best[title_id] = (rank, title[:300])
    return {tconst: title for tconst, (_, title) in best.items()}


def film_rows(
    *,
    path: Path,
    german_titles: dict[str, str],
    types: set[str],
    since: int | None,
    summary: Summary,
    out: TextIO,
) -> Iterator[FilmRow]:
    """title.basics' rows of the wanted types and years; the others counted."""
    columns = [
        "tconst",
        "titleType",
        "primaryTitle",
        "originalTitle",
        "startYear",
        "runtimeMinutes",
        "genres",
    ]
    for number, values in read_rows(path, columns, problems=summary.problems, out=out):
        tconst, title_type, primary_title, original_title, start_year, runtime, genres = values
        summary.rows["title.basics"] += 1
        tconst = mapping.imdb_number(tconst, prefix="tt")
        if tconst is None or not primary_title:
            summary.problems.add("Titel ohne gültige ID oder Namen", path.name, number)
            continue
        if title_type not in types:
            summary.skipped[f"Titeltyp {title_type}"] += 1
            continue
        year = mapping.year(start_year)
        if since and (year is None or year < since):
            summary.skipped[f"vor {since}"] += 1
            continue
        yield _film_row(
            imdb_id=tconst,
            title=german_titles.get(tconst, primary_title)[:300],
            original_title=(original_title or "")[:300],
            year=year,
            runtime=mapping.minutes(runtime),
            genres=mapping.genre_names(genres),
        )


def _film_row(
    *,
    imdb_id: str,
    title: str,
    original_title: str,
    year: int | None,
    runtime: int | None,
    genres: list[str],
) -> FilmRow:
    imported = {"title": title, "original_title": original_title, "year": year, "runtime": runtime}
    return FilmRow(
        imdb_id=imdb_id,
        title=title,
        original_title=original_title,
        slug=(german_slugify(f"{title} {year or ''}") or "film")[:300],
        year=year,
        runtime=runtime,
        search_text=fold_for_search(title, original_title),
        title_key=fold_title(title),
        original_title_key=fold_title(original_title),
        imdb_snapshot=snapshot(imported),
        genres=f",{','.join(genres)}," if genres else "",
    )


def aka_rows(*, path: Path, summary: Summary, out: TextIO) -> Iterator[AkaRow]:
    columns = ["titleId", "title", "region", "types"]
    for number, (title_id, title, region, types) in read_rows(
        path, columns, problems=summary.problems, out=out
    ):
        summary.rows["title.akas"] += 1
        tconst = mapping.imdb_number(title_id, prefix="tt")
        if tconst is None or not title:
            summary.problems.add("Alternativtitel ohne ID oder Titel", path.name, number)
            continue
        title = title[:500]
        yield AkaRow(
            tconst=tconst,
            title=title,
            region=(region or "")[:4],
            kind=mapping.aka_kind(types),
            search_text=fold_for_search(title),
        )


def person_rows(*, path: Path, summary: Summary, out: TextIO) -> Iterator[PersonRow]:
    columns = ["nconst", "primaryName", "birthYear", "deathYear"]
    for number, (nconst, primary_name, birth_year, death_year) in read_rows(
        path, columns, problems=summary.problems, out=out
    ):
        summary.rows["name.basics"] += 1
        nconst = mapping.imdb_number(nconst, prefix="nm")
        name = (primary_name or "").strip()[:200]
        if nconst is None or not name:
            summary.problems.add("Person ohne gültige ID oder Namen", path.name, number)
            continue
        birth, death = mapping.year(birth_year), mapping.year(death_year)
        if birth and death and death < birth:
            death = None
        yield PersonRow(
            imdb_id=nconst,
            name=name,
            slug=(german_slugify(name) or "person")[:200],
            birth_year=birth,
            death_year=death,
            search_text=fold_for_search(name),
            imdb_snapshot=snapshot({"name": name, "birth_year": birth, "death_year": death}),
        )


def principal_rows(*, path: Path, summary: Summary, out: TextIO) -> Iterator[CreditRow]:
    columns = ["tconst", "ordering", "nconst", "category", "characters"]
    for number, (tconst, ordering, nconst, category, characters) in read_rows(
        path, columns, problems=summary.problems, out=out
    ):
        summary.rows["title.principals"] += 1
        tconst = mapping.imdb_number(tconst, prefix="tt")
        nconst = mapping.imdb_number(nconst, prefix="nm")
        ordering = ordering or ""
        if tconst is None or nconst is None or not mapping.is_number(ordering):
            summary.problems.add("Mitwirkung ohne gültige IDs oder Reihenfolge", path.name, number)
            continue
        role = mapping.ROLES.get(category or "")
        if role is None:
            summary.skipped[f"Kategorie {category}"] += 1
            continue
        character = mapping.characters(characters) if role == Credit.Role.CAST else ""
        if character is None:
            summary.problems.add(INVISIBLE, path.name, number)
            continue
        yield CreditRow(
            tconst, nconst, role, character, min(int(ordering), 32_000), path.name, number
        )


def crew_rows(*, path: Path, summary: Summary, out: TextIO) -> Iterator[CreditRow]:
    for number, (tconst, directors, writers) in read_rows(
        path, ["tconst", "directors", "writers"], problems=summary.problems, out=out
    ):
        summary.rows["title.crew"] += 1
        tconst = mapping.imdb_number(tconst, prefix="tt")
        if tconst is None:
            summary.problems.add("Crew ohne gültige Titel-ID", path.name, number)
            continue
        bad_person = False
        for role, people in ((Credit.Role.DIRECTOR, directors), (Credit.Role.WRITER, writers)):
            for position, value in enumerate((people or "").split(",")):
                nconst = mapping.imdb_number(value, prefix="nm")
                if nconst:
                    # After the principals' billing, in the crew file's order.
                    yield CreditRow(tconst, nconst, role, "", 1000 + position, path.name, number)
                elif value:
                    bad_person = True
        if bad_person:  # the row's good ids are credited all the same
            summary.problems.add("Crew mit ungültiger Personen-ID", path.name, number)
