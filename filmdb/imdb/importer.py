"""`imdb_import`: IMDb's files into films, alternative titles, people and credits.

Each file streams into a temporary staging table, then set-based SQL adds what is new,
each step in its own transaction: an interrupted import leaves whole steps behind, and
running it again completes it. Rows are keyed by IMDb id (tconst, nconst); nothing is
ever deleted, and a field an editor changed since the last import is left alone (see
`Film.imdb_snapshot`).
"""

import json
import sys
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from filmdb.imdb import mapping
from filmdb.imdb.postgres_speedups import skip_checked_foreign_keys, use_memory_for_bulk_work
from filmdb.imdb.reader import Problems, find_file, read_rows
from filmdb.imdb.staging import Stage, execute, fetch, insert_ignoring_duplicates
from filmdb.lib.folding import fold_for_search, german_slugify
from filmdb.lib.page_cache import content_changed
from films.models import Film, Genre
from people.models import Person

FILM_FIELDS = ["title", "original_title", "year", "runtime"]
PERSON_FIELDS = ["name", "birth_year", "death_year"]


@dataclass
class Summary:
    added: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    problems: Problems = field(default_factory=Problems)
    seconds: dict[str, float] = field(default_factory=dict)
    rows: Counter = field(default_factory=Counter)


@contextmanager
def timed(summary: Summary, step: str):
    started = time.monotonic()
    try:
        yield
    finally:
        summary.seconds[step] = summary.seconds.get(step, 0.0) + time.monotonic() - started


def snapshot(values: dict) -> str:
    return json.dumps(values, sort_keys=True, ensure_ascii=False)


def merge(instance, fields: list[str], new: dict, old_snapshot: str) -> bool:
    """Take each imported value unless an editor changed the field since the last import."""
    previous = json.loads(old_snapshot) if old_snapshot else {}
    changed = False
    for name in fields:
        current = getattr(instance, name)
        untouched = name in previous and current == previous[name]
        if (untouched or current in (None, "")) and current != new[name]:
            setattr(instance, name, new[name])
            changed = True
    return changed


def imdb_import(
    *,
    directory: Path,
    types: set[str],
    since: int | None = None,
    publish: bool = True,
    out: TextIO = sys.stdout,
) -> Summary:
    summary = Summary()
    try:
        use_memory_for_bulk_work()
        basics = find_file(directory, "title.basics")
        if basics is None:
            raise FileNotFoundError(f"title.basics.tsv(.gz) fehlt in {directory}")
        akas = find_file(directory, "title.akas")
        with timed(summary, "title.akas"):
            german_titles = _german_titles(akas, summary, out) if akas else {}
        with timed(summary, "title.basics"):
            _films(basics, german_titles, types, since, publish, summary, out)
        if akas:
            with timed(summary, "title.akas"):
                _alternative_titles(akas, summary, out)
        principals = find_file(directory, "title.principals")
        crew = find_file(directory, "title.crew")
        credit_stage = _stage_credits(principals, crew, summary, out)
        names = find_file(directory, "name.basics")
        if names:
            with timed(summary, "name.basics"):
                _people(names, credit_stage, summary, out)
        if credit_stage:
            with timed(summary, "credits"):
                _report_unknown_people(summary)
            # The principals' credits first: title.crew only adds the ones they lack.
            for path, step in ((principals, "title.principals"), (crew, "title.crew")):
                if path:
                    with timed(summary, step):
                        _credits(path.name, summary)
            credit_stage.drop()
    finally:
        # Bulk writes send no signals: retire cached pages for whatever steps landed.
        content_changed()
    return summary


def _german_titles(path: Path, summary: Summary, out: TextIO) -> dict[str, str]:
    """tconst -> German title, from the region-DE akas (a small part of the file)."""
    best: dict[str, tuple[tuple, str]] = {}
    columns = ["titleId", "ordering", "title", "region", "types", "attributes"]
    for _, (title_id, ordering, title, region, types, attributes) in read_rows(
        path, columns, Problems(), out
    ):
        if region != "DE" or not title:
            continue
        ordering = int(ordering) if (ordering or "").isdigit() else 0
        rank = mapping.german_title_rank(types, attributes, ordering)
        if title_id not in best or rank < best[title_id][0]:
            best[title_id] = (rank, title[:300])
    return {tconst: title for tconst, (_, title) in best.items()}


def _films(path, german_titles, types, since, publish, summary: Summary, out: TextIO) -> None:
    stage = Stage(
        "imdb_stage_film",
        {
            "tconst": "text",
            "title": "text",
            "original_title": "text",
            "slug": "text",
            "year": "integer",
            "runtime": "integer",
            "search_text": "text",
            "snapshot": "text",
            "genres": "text",
        },
    )
    columns = [
        "tconst",
        "titleType",
        "primaryTitle",
        "originalTitle",
        "startYear",
        "runtimeMinutes",
        "genres",
    ]

    def films():
        for number, (
            tconst,
            title_type,
            primary_title,
            original_title,
            start_year,
            runtime_minutes,
            genres,
        ) in read_rows(path, columns, summary.problems, out):
            summary.rows["title.basics"] += 1
            tconst = mapping.imdb_number(tconst, "tt")
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
            title = german_titles.get(tconst, primary_title)[:300]
            original = (original_title or "")[:300]
            values = {
                "title": title,
                "original_title": original,
                "year": year,
                "runtime": mapping.minutes(runtime_minutes),
            }
            genres = [
                mapping.GENRES.get(genre, genre)[:100]
                for genre in (genres or "").split(",")
                if genre
            ]
            yield (
                tconst,
                title,
                original,
                (german_slugify(f"{title} {year or ''}") or "film")[:300],
                year,
                values["runtime"],
                fold_for_search(title, original),
                snapshot(values),
                # Between commas, so that SQL finds ",Krimi," without splitting.
                f",{','.join(genres)}," if genres else "",
            )

    stage.load(films())
    stage.prepare_lookups("tconst")
    now = timezone.now()
    status = Film.Status.PUBLISHED if publish else Film.Status.DRAFT
    with transaction.atomic():
        # A slug already taken, or taken twice within the file, gets the IMDb id appended.
        summary.added["Filme"] += execute(
            """
            INSERT INTO films_film (title, original_title, slug, year, runtime, fsk, countries,
                distributor, synopsis, plot, background, poster, imdb_id, status, search_text,
                imdb_snapshot, created_at, updated_at)
            SELECT title, original_title,
                CASE WHEN duplicate > 1
                     OR EXISTS (SELECT 1 FROM films_film f WHERE f.slug = s.slug)
                     THEN s.slug || '-' || s.tconst ELSE s.slug END,
                year, runtime, NULL, '', '', '', '', '', '', tconst, %s, search_text, snapshot,
                %s, %s
            FROM (
                SELECT *, ROW_NUMBER() OVER (PARTITION BY slug ORDER BY tconst) AS duplicate
                FROM imdb_stage_film
                WHERE NOT EXISTS (
                    SELECT 1 FROM films_film f WHERE f.imdb_id = imdb_stage_film.tconst
                )
            ) AS s
            """,
            [status, now, now],
        )
    _update_changed(
        Film,
        FILM_FIELDS,
        "imdb_stage_film",
        "tconst",
        lambda film: fold_for_search(film.title, film.original_title),
        "Filme",
        summary,
    )
    _genres(summary)
    stage.drop()


def _update_changed(model, fields, stage, key, search_text, label, summary: Summary) -> None:
    """Rows whose imported values changed since the last import: merged field by field."""
    table = model._meta.db_table
    changed = fetch(
        f"SELECT t.id, s.snapshot FROM {stage} s JOIN {table} t ON t.imdb_id = s.{key} "
        "WHERE t.imdb_snapshot <> s.snapshot"
    )
    new_snapshots = dict(changed)
    for start in range(0, len(changed), 1000):
        ids = [row_id for row_id, _ in changed[start : start + 1000]]
        instances = list(model.objects.filter(pk__in=ids))
        to_save = []
        for instance in instances:
            new = json.loads(new_snapshots[instance.pk])
            if merge(instance, fields, new, instance.imdb_snapshot):
                instance.search_text = search_text(instance)
                instance.updated_at = timezone.now()
                summary.updated[label] += 1
            instance.imdb_snapshot = new_snapshots[instance.pk]
            to_save.append(instance)
        with transaction.atomic():
            model.objects.bulk_update(
                to_save, [*fields, "search_text", "imdb_snapshot", "updated_at"]
            )


def _genres(summary: Summary) -> None:
    """Genres by name (a few dozen), each added to its films by one set-based insert."""
    lists = [genres for (genres,) in fetch("SELECT DISTINCT genres FROM imdb_stage_film")]
    names = {name for genres in lists for name in genres.split(",") if name}
    existing = dict(Genre.objects.filter(name__in=names).values_list("name", "pk"))
    with transaction.atomic():
        skip_checked_foreign_keys("films_film", "films_genre")
        for name in sorted(names - set(existing)):
            existing[name] = Genre.objects.create(
                name=name, slug=german_slugify(name) or "genre"
            ).pk
            summary.added["Genres"] += 1
        for name in sorted(names):
            summary.added["Genre-Zuordnungen"] += execute(
                insert_ignoring_duplicates(
                    "films_film_genres",
                    "film_id, genre_id",
                    """
                    SELECT f.id, %s FROM imdb_stage_film s
                    JOIN films_film f ON f.imdb_id = s.tconst
                    WHERE s.genres LIKE %s AND NOT EXISTS (
                        SELECT 1 FROM films_film_genres fg
                        WHERE fg.film_id = f.id AND fg.genre_id = %s
                    )
                    """,
                ),
                [existing[name], f"%,{name},%", existing[name]],
            )


def _alternative_titles(path: Path, summary: Summary, out: TextIO) -> None:
    stage = Stage(
        "imdb_stage_aka",
        {
            "tconst": "text",
            "title": "text",
            "region": "text",
            "kind": "text",
            "search_text": "text",
        },
    )
    columns = ["titleId", "title", "region", "types"]

    def akas():
        for number, (title_id, title, region, types) in read_rows(
            path, columns, summary.problems, out
        ):
            summary.rows["title.akas"] += 1
            tconst = mapping.imdb_number(title_id, "tt")
            if tconst is None or not title:
                summary.problems.add("Alternativtitel ohne ID oder Titel", path.name, number)
                continue
            title = title[:500]
            region = (region or "")[:4]
            yield tconst, title, region, mapping.aka_kind(types), fold_for_search(title)

    stage.load(akas())
    stage.prepare_lookups("tconst")
    with transaction.atomic():
        skip_checked_foreign_keys("films_film")
        summary.added["Alternative Titel"] += execute(
            insert_ignoring_duplicates(
                "films_alternativetitle",
                "film_id, title, region, kind, search_text",
                """
                SELECT f.id, s.title, s.region, s.kind, s.search_text
                FROM imdb_stage_aka s JOIN films_film f ON f.imdb_id = s.tconst
                WHERE NOT EXISTS (
                    SELECT 1 FROM films_alternativetitle a WHERE a.film_id = f.id
                    AND a.title = s.title AND a.region = s.region AND a.kind = s.kind
                )
                """,
            )
        )
    stage.drop()


def _stage_credits(principals, crew, summary: Summary, out: TextIO) -> Stage | None:
    """Principals and crew as one staging table of (tconst, nconst, role, character, order)."""
    if not principals and not crew:
        return None
    stage = Stage(
        "imdb_stage_credit",
        {
            "tconst": "text",
            "nconst": "text",
            "role": "text",
            "character": "text",
            "ordering": "integer",
            "file": "text",
            "line": "integer",
        },
    )
    if principals:
        with timed(summary, "title.principals"):
            stage.load(_principal_rows(principals, summary, out))
    if crew:
        with timed(summary, "title.crew"):
            stage.load(_crew_rows(crew, summary, out))
    with timed(summary, "credits"):
        stage.prepare_lookups("tconst", "nconst")
        # Rows of titles that were not imported (other types, --since) are no problem.
        not_imported = execute(
            "DELETE FROM imdb_stage_credit WHERE NOT EXISTS "
            "(SELECT 1 FROM films_film f WHERE f.imdb_id = imdb_stage_credit.tconst)"
        )
        if not_imported:
            summary.skipped["Mitwirkung an nicht importiertem Titel"] += not_imported
    return stage


def _principal_rows(path: Path, summary: Summary, out: TextIO):
    columns = ["tconst", "ordering", "nconst", "category", "characters"]
    for number, (tconst, ordering, nconst, category, characters) in read_rows(
        path, columns, summary.problems, out
    ):
        summary.rows["title.principals"] += 1
        tconst = mapping.imdb_number(tconst, "tt")
        nconst = mapping.imdb_number(nconst, "nm")
        ordering = ordering or ""
        if tconst is None or nconst is None or not ordering.isdigit():
            summary.problems.add("Mitwirkung ohne gültige IDs oder Reihenfolge", path.name, number)
            continue
        role = mapping.ROLES.get(category or "")
        if role is None:
            summary.skipped[f"Kategorie {category}"] += 1
            continue
        character = mapping.characters(characters) if role == "cast" else ""
        yield tconst, nconst, role, character, min(int(ordering), 32_000), path.name, number


def _crew_rows(path: Path, summary: Summary, out: TextIO):
    for number, (tconst, directors, writers) in read_rows(
        path, ["tconst", "directors", "writers"], summary.problems, out
    ):
        summary.rows["title.crew"] += 1
        tconst = mapping.imdb_number(tconst, "tt")
        if tconst is None:
            summary.problems.add("Crew ohne gültige Titel-ID", path.name, number)
            continue
        for role, people in (("director", directors), ("writer", writers)):
            for position, value in enumerate((people or "").split(",")):
                nconst = mapping.imdb_number(value, "nm")
                if nconst:
                    # After the principals' billing, in the crew file's order.
                    yield tconst, nconst, role, "", 1000 + position, path.name, number


def _people(path: Path, credit_stage: Stage | None, summary: Summary, out: TextIO) -> None:
    """People named by the credits of imported films (or everyone, without credit files)."""
    stage = Stage(
        "imdb_stage_person",
        {
            "nconst": "text",
            "name": "text",
            "slug": "text",
            "birth_year": "integer",
            "death_year": "integer",
            "search_text": "text",
            "snapshot": "text",
        },
    )
    columns = ["nconst", "primaryName", "birthYear", "deathYear"]

    def people():
        for number, (nconst, primary_name, birth_year, death_year) in read_rows(
            path, columns, summary.problems, out
        ):
            summary.rows["name.basics"] += 1
            nconst = mapping.imdb_number(nconst, "nm")
            name = (primary_name or "").strip()[:200]
            if nconst is None or not name:
                summary.problems.add("Person ohne gültige ID oder Namen", path.name, number)
                continue
            birth, death = mapping.year(birth_year), mapping.year(death_year)
            if birth and death and death < birth:
                death = None
            values = {"name": name, "birth_year": birth, "death_year": death}
            yield (
                nconst,
                name,
                (german_slugify(name) or "person")[:200],
                birth,
                death,
                fold_for_search(name),
                snapshot(values),
            )

    stage.load(people())
    stage.prepare_lookups("nconst")
    if credit_stage:
        execute(
            "DELETE FROM imdb_stage_person WHERE NOT EXISTS "
            "(SELECT 1 FROM imdb_stage_credit c WHERE c.nconst = imdb_stage_person.nconst)"
        )
    now = timezone.now()
    with transaction.atomic():
        summary.added["Personen"] += execute(
            """
            INSERT INTO people_person (name, slug, birth_year, death_year, birth_place, death_place,
                bio, photo, imdb_id, search_text, imdb_snapshot, created_at, updated_at)
            SELECT name,
                CASE WHEN duplicate > 1
                     OR EXISTS (SELECT 1 FROM people_person p WHERE p.slug = s.slug)
                     THEN s.slug || '-' || s.nconst ELSE s.slug END,
                birth_year, death_year, '', '', '', '', nconst, search_text, snapshot, %s, %s
            FROM (
                SELECT *, ROW_NUMBER() OVER (PARTITION BY slug ORDER BY nconst) AS duplicate
                FROM imdb_stage_person
                WHERE NOT EXISTS (
                    SELECT 1 FROM people_person p WHERE p.imdb_id = imdb_stage_person.nconst
                )
            ) AS s
            """,
            [now, now],
        )
    _update_changed(
        Person,
        PERSON_FIELDS,
        "imdb_stage_person",
        "nconst",
        lambda person: fold_for_search(person.name),
        "Personen",
        summary,
    )
    stage.drop()


def _report_unknown_people(summary: Summary) -> None:
    unknown_person = (
        "FROM imdb_stage_credit s WHERE NOT EXISTS "
        "(SELECT 1 FROM people_person p WHERE p.imdb_id = s.nconst)"
    )
    missing = fetch(f"SELECT COUNT(*) {unknown_person}")[0][0]
    if not missing:
        return
    for file, line in fetch(f"SELECT file, line {unknown_person} ORDER BY file, line LIMIT 20"):
        summary.problems.add("Person fehlt in name.basics", file, line)
        missing -= 1
    summary.problems.counts["Person fehlt in name.basics"] += missing  # the rest, not shown


def _credits(file: str, summary: Summary) -> None:
    """Credits from the staged rows of one file."""
    with transaction.atomic():
        skip_checked_foreign_keys("films_film", "people_person")
        # One credit per film, person and role: the first by billing order. A credit that
        # exists already (maybe changed by an editor) is left as it is.
        # No ON CONFLICT: the window keeps one row per film, person and role, and NOT
        # EXISTS skips the existing ones, so no row can conflict (and PostgreSQL's
        # speculative insertion cost a fifth of this step's time).
        summary.added["Mitwirkungen"] += execute(
            """
            INSERT INTO people_credit (film_id, person_id, role, "character", "order")
            SELECT film_id, person_id, role, character, ordering FROM (
                SELECT f.id AS film_id, p.id AS person_id, s.role, s.character, s.ordering,
                    ROW_NUMBER() OVER (
                        PARTITION BY f.id, p.id, s.role ORDER BY s.ordering
                    ) AS position
                FROM imdb_stage_credit s
                JOIN films_film f ON f.imdb_id = s.tconst
                JOIN people_person p ON p.imdb_id = s.nconst
                WHERE s.file = %s AND NOT EXISTS (
                    SELECT 1 FROM people_credit c
                    WHERE c.film_id = f.id AND c.person_id = p.id AND c.role = s.role
                )
            ) AS candidates
            WHERE position = 1
            """,
            [file],
        )
