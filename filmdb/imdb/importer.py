"""`imdb_import`: IMDb's files into films, alternative titles, people and credits.

Each file streams into a temporary staging table, then set-based SQL adds what is new,
each step in its own transaction: an interrupted import leaves whole steps behind, and
running it again completes it. Rows are keyed by IMDb id (tconst, nconst); nothing is
ever deleted, and a field an editor changed since the last import is left alone (see
`Film.imdb_snapshot`).
"""

import functools
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from django.db import models, transaction
from django.db.models import Max
from django.db.models.expressions import RawSQL
from django.utils import timezone

from filmdb.imdb import rows
from filmdb.imdb.postgres_speedups import (
    bulk_transaction,
    drop_abandoned_shared_tables,
    shared_table,
    write_in_parallel,
)
from filmdb.imdb.reader import find_file
from filmdb.imdb.staging import (
    Stage,
    analyze,
    execute,
    fetch,
    insert_columns,
    insert_ignoring_duplicates,
    insert_new_rows,
)
from filmdb.imdb.summary import Summary, timed
from filmdb.lib.folding import german_slugify
from filmdb.lib.page_cache import content_changed
from films.models import AlternativeTitle, Change, Film, Genre, GenreListing
from films.models.changes import record_visible
from people.models import Credit, Person, rebill_sql
from people.visibility import publish_people_sql

# The tables an import fills, analyzed at its end: the pages' queries are planned from
# their statistics.
LOADED_TABLES = [
    Film._meta.db_table,
    Film.genres.through._meta.db_table,
    AlternativeTitle._meta.db_table,
    Person._meta.db_table,
    Credit._meta.db_table,
    GenreListing._meta.db_table,
]


# The credits a file adds, chosen before they are inserted (`_credits`).
CREDIT_CANDIDATES = "imdb_credit_candidate"


@dataclass(frozen=True)
class ImdbFiles:
    """The files of one import; only title.basics is required."""

    basics: Path
    akas: Path | None
    principals: Path | None
    crew: Path | None
    names: Path | None

    @classmethod
    def find(cls, directory: Path) -> "ImdbFiles":
        basics = find_file(directory, "title.basics")
        if basics is None:
            raise FileNotFoundError(f"title.basics.tsv(.gz) fehlt in {directory}")
        return cls(
            basics=basics,
            akas=find_file(directory, "title.akas"),
            principals=find_file(directory, "title.principals"),
            crew=find_file(directory, "title.crew"),
            names=find_file(directory, "name.basics"),
        )


def imdb_import(
    *,
    directory: Path,
    types: set[str],
    since: int | None = None,
    publish: bool = True,
    out: TextIO = sys.stdout,
) -> Summary:
    summary = Summary()
    drop_abandoned_shared_tables(CREDIT_CANDIDATES)
    try:
        files = ImdbFiles.find(directory)
        _import_films(
            files=files, types=types, since=since, publish=publish, summary=summary, out=out
        )
        credit_stage = _stage_credits(files=files, summary=summary, out=out)
        if files.names:
            with timed(summary, "name.basics"):
                _people(path=files.names, credit_stage=credit_stage, summary=summary, out=out)
        if credit_stage:
            _import_credits(files=files, stage=credit_stage, summary=summary)
    finally:
        # Bulk writes send no signals: retire cached pages for whatever steps landed.
        content_changed()
    analyze(*LOADED_TABLES)
    return summary


# Films, their genres and alternative titles


def _import_films(
    *,
    files: ImdbFiles,
    types: set[str],
    since: int | None,
    publish: bool,
    summary: Summary,
    out: TextIO,
) -> None:
    with timed(summary, "title.akas"):
        german_titles = rows.german_titles(path=files.akas, out=out) if files.akas else {}
    with timed(summary, "title.basics"):
        stage = Stage("imdb_stage_film", rows.FilmRow)
        stage.load(
            rows.film_rows(
                path=files.basics,
                german_titles=german_titles,
                types=types,
                since=since,
                summary=summary,
                out=out,
            )
        )
        _write_films(stage=stage, publish=publish, summary=summary)
    if files.akas:
        with timed(summary, "title.akas"):
            _alternative_titles(path=files.akas, summary=summary, out=out)


def _write_films(*, stage: Stage, publish: bool, summary: Summary) -> None:
    stage.prepare_lookups("imdb_id")
    status = Film.Status.PUBLISHED if publish else Film.Status.DRAFT
    # New films get their genres in the transaction that adds them, so that no change form
    # can be opened on a new film before its genres are there.
    with bulk_transaction():
        last_before = Film._base_manager.aggregate(last=Max("pk"))["last"] or 0
        summary.added["Filme"] += insert_new_rows(
            Film,
            stage=stage,
            given={"status": status, "published_at": timezone.now() if publish else None},
        )
        genre_ids = _genres(stage=stage, last_before=last_before, summary=summary)
        # The changes feed lists the new films visitors see (not drafts).
        new_films = Film.objects.published().filter(pk__gt=last_before)
        record_visible(Change.Kind.FILM, new_films)
    _update_changed(
        Film,
        kind=Change.Kind.FILM,
        fields=rows.FILM_FIELDS,
        stage=stage,
        label="Filme",
        summary=summary,
    )
    analyze(Film._meta.db_table, Film.genres.through._meta.db_table)  # counted next
    # Set-based writes send no signals: the genres list and count their films again.
    imported = RawSQL(
        f"SELECT f.id FROM {stage.name} s JOIN films_film f ON f.imdb_id = s.imdb_id", []
    )
    GenreListing.objects.refresh(film__in=imported)
    Genre.objects.filter(pk__in=genre_ids).refresh_film_counts()
    stage.drop()


def _genres(*, stage: Stage, last_before: int, summary: Summary) -> list[int]:
    """Genres by name (a few dozen), each added to its films by one set-based insert.

    A film that existed before this import (its id at most `last_before`) and gains a
    genre is a new version: a change form opened before would save its old genre list.
    """
    lists = [genres for (genres,) in fetch(f"SELECT DISTINCT genres FROM {stage.name}")]
    names = {name for genres in lists for name in genres.split(",") if name}
    genre_ids = _genre_ids(names=names, summary=summary)
    execute(
        f"""
        UPDATE films_film SET version = version + 1 WHERE id IN (
            SELECT f.id FROM {stage.name} s
            JOIN films_film f ON f.imdb_id = s.imdb_id
            JOIN films_genre g ON s.genres LIKE '%%,' || g.name || ',%%'
            WHERE f.id <= %s AND NOT EXISTS (
                SELECT 1 FROM films_film_genres fg
                WHERE fg.film_id = f.id AND fg.genre_id = g.id
            )
        )
        """,
        [last_before],
    )
    for name in sorted(names):
        summary.added["Genre-Zuordnungen"] += execute(
            insert_ignoring_duplicates(
                "films_film_genres",
                "film_id, genre_id",
                f"""
                SELECT f.id, %s FROM {stage.name} s
                JOIN films_film f ON f.imdb_id = s.imdb_id
                WHERE s.genres LIKE %s AND NOT EXISTS (
                    SELECT 1 FROM films_film_genres fg
                    WHERE fg.film_id = f.id AND fg.genre_id = %s
                )
                """,
            ),
            [genre_ids[name], f"%,{name},%", genre_ids[name]],
        )
    return list(genre_ids.values())


def _genre_ids(*, names: set[str], summary: Summary) -> dict[str, int]:
    """Genre name -> id, creating the genres that do not exist yet."""
    ids = dict(Genre.objects.filter(name__in=names).values_list("name", "pk"))
    for name in sorted(names - set(ids)):
        ids[name] = Genre.objects.create(name=name, slug=german_slugify(name) or "genre").pk
        summary.added["Genres"] += 1
    return ids


def _alternative_titles(*, path: Path, summary: Summary, out: TextIO) -> None:
    stage = Stage("imdb_stage_aka", rows.AkaRow)
    stage.load(rows.aka_rows(path=path, summary=summary, out=out))
    stage.prepare_lookups("tconst")
    columns, selects, params = insert_columns(
        AlternativeTitle,
        selected={
            "film_id": "f.id",
            "title": "s.title",
            "region": "s.region",
            "kind": "s.kind",
            "search_text": "s.search_text",
        },
    )
    with bulk_transaction():
        summary.added["Alternative Titel"] += execute(
            insert_ignoring_duplicates(
                AlternativeTitle._meta.db_table,
                columns,
                f"""
                SELECT {selects}
                FROM {stage.name} s JOIN films_film f ON f.imdb_id = s.tconst
                WHERE NOT EXISTS (
                    SELECT 1 FROM films_alternativetitle a WHERE a.film_id = f.id
                    AND a.title = s.title AND a.region = s.region AND a.kind = s.kind
                )
                """,
            ),
            params,
        )
    stage.drop()


# People


def _people(*, path: Path, credit_stage: Stage | None, summary: Summary, out: TextIO) -> None:
    """People named by the credits of imported films (or everyone, without credit files)."""
    stage = Stage("imdb_stage_person", rows.PersonRow)
    stage.load(rows.person_rows(path=path, summary=summary, out=out))
    stage.prepare_lookups("imdb_id")
    if credit_stage:
        with bulk_transaction():
            execute(
                f"DELETE FROM {stage.name} WHERE NOT EXISTS (SELECT 1 FROM {credit_stage.name} c "
                f"WHERE c.nconst = {stage.name}.imdb_id)"
            )
    with bulk_transaction():
        summary.added["Personen"] += insert_new_rows(Person, stage=stage)
    _update_changed(
        Person,
        kind=Change.Kind.PERSON,
        fields=rows.PERSON_FIELDS,
        stage=stage,
        label="Personen",
        summary=summary,
    )
    analyze(Person._meta.db_table)  # the credits join them next
    stage.drop()


# Updates of films and people imported before


def _update_changed(
    model: type[models.Model],
    *,
    kind: str,
    fields: list[str],
    stage: Stage,
    label: str,
    summary: Summary,
) -> None:
    """Rows whose imported values changed since the last import: merged field by field,
    and their folded search texts computed again (`fold_search_texts`, as a save does)."""
    changed = fetch(
        f"SELECT t.id, s.imdb_snapshot FROM {stage.name} s "
        f"JOIN {model._meta.db_table} t ON t.imdb_id = s.imdb_id "
        "WHERE t.imdb_snapshot <> s.imdb_snapshot"
    )
    for start in range(0, len(changed), 1000):
        new_snapshots = dict(changed[start : start + 1000])
        with transaction.atomic():
            # Locked as an editor's save locks its row (LockedModelForm.clean): a save
            # between this read and the write below would otherwise be overwritten.
            rows = model._base_manager.select_for_update(no_key=True).filter(
                pk__in=list(new_snapshots)
            )
            instances = list(rows.order_by("pk"))
            updated = []
            for instance in instances:
                new = new_snapshots[instance.pk]
                old = instance.imdb_snapshot
                if merge(instance, fields=fields, new=json.loads(new), old_snapshot=old):
                    updated.append(instance.pk)
                    instance.fold_search_texts()
                    instance.updated_at = timezone.now()
                    # A new version: a change form opened before must not save the old
                    # values back over the imported ones.
                    instance.version = models.F("version") + 1
                    summary.updated[label] += 1
                instance.imdb_snapshot = new
            model._base_manager.bulk_update(
                instances,
                [*fields, *model.FOLDED_FIELDS, "imdb_snapshot", "updated_at", "version"],
            )
            # The changes feed lists those visitors see.
            record_visible(kind, model.objects.published().filter(pk__in=updated))


def merge(instance: models.Model, *, fields: list[str], new: dict, old_snapshot: str) -> bool:
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


# Credits


def _stage_credits(*, files: ImdbFiles, summary: Summary, out: TextIO) -> Stage | None:
    """Principals and crew as one staging table, only for imported films."""
    if not files.principals and not files.crew:
        return None
    stage = Stage("imdb_stage_credit", rows.CreditRow)
    if files.principals:
        with timed(summary, "title.principals"):
            stage.load(rows.principal_rows(path=files.principals, summary=summary, out=out))
    if files.crew:
        with timed(summary, "title.crew"):
            stage.load(rows.crew_rows(path=files.crew, summary=summary, out=out))
    with timed(summary, "credits"):
        stage.prepare_lookups("tconst", "nconst")
        # Rows of titles that were not imported (other types, --since) are no problem.
        with bulk_transaction():
            not_imported = execute(
                f"DELETE FROM {stage.name} WHERE NOT EXISTS "
                f"(SELECT 1 FROM films_film f WHERE f.imdb_id = {stage.name}.tconst)"
            )
        if not_imported:
            summary.skipped["Mitwirkung an nicht importiertem Titel"] += not_imported
    return stage


def _import_credits(*, files: ImdbFiles, stage: Stage, summary: Summary) -> None:
    with timed(summary, "credits"), bulk_transaction():
        _report_unknown_people(stage=stage, summary=summary)
    # The principals' credits first: title.crew only adds the ones they lack.
    for path, step in ((files.principals, "title.principals"), (files.crew, "title.crew")):
        if path:
            with timed(summary, step):
                _credits(stage=stage, file=path.name, summary=summary)
    with timed(summary, "credits"), bulk_transaction():
        # The moment from which the people the files credit are public
        # (Person.published_from), from all their credits: also those that an
        # interrupted run of the same files added. Once, after both files' halves, which
        # would otherwise wait for each other's locks on the people they share. A film
        # the import adds or publishes has no credits but these: no one else's moment
        # changes.
        execute(
            *publish_people_sql(
                f"SELECT p.id FROM {stage.name} s "
                f"JOIN {Person._meta.db_table} p ON p.imdb_id = s.nconst"
            )
        )
    stage.drop()


def _report_unknown_people(*, stage: Stage, summary: Summary) -> None:
    unknown_person = (
        f"FROM {stage.name} s WHERE NOT EXISTS "
        "(SELECT 1 FROM people_person p WHERE p.imdb_id = s.nconst)"
    )
    missing = fetch(f"SELECT COUNT(*) {unknown_person}")[0][0]
    if not missing:
        return
    for file, line in fetch(f"SELECT file, line {unknown_person} ORDER BY file, line LIMIT 20"):
        summary.problems.add("Person fehlt in name.basics", file, line)
        missing -= 1
    summary.problems.counts["Person fehlt in name.basics"] += missing  # the rest, not shown


def _credits(*, stage: Stage, file: str, summary: Summary) -> None:
    """Credits from the staged rows of one file.

    First the credits to add, then their insert in two halves by film, each in its own
    transaction (on PostgreSQL at once, see `write_in_parallel`): the halves insert what
    is already chosen, so neither looks for the credits the other adds.
    """
    kind, candidates = shared_table(CREDIT_CANDIDATES)
    execute(f"DROP TABLE IF EXISTS {candidates}")
    with bulk_transaction():
        # One credit per film, person and role: the first by billing order. A credit that
        # exists already (maybe changed by an editor) is left as it is.
        execute(
            f"""
            CREATE {kind} TABLE {candidates} AS
            SELECT film_id, person_id, role, character, ordering,
                -- Their billing among themselves; among a film's other credits too, if
                -- it had any, by rebill_sql() below.
                ROW_NUMBER() OVER (
                    PARTITION BY film_id, role ORDER BY ordering, person_id
                ) - 1 AS billing
            FROM (
                SELECT f.id AS film_id, p.id AS person_id, s.role, s.character, s.ordering,
                    ROW_NUMBER() OVER (
                        PARTITION BY f.id, p.id, s.role ORDER BY s.ordering
                    ) AS position
                FROM {stage.name} s
                JOIN films_film f ON f.imdb_id = s.tconst
                JOIN people_person p ON p.imdb_id = s.nconst
                WHERE s.file = %s AND NOT EXISTS (
                    SELECT 1 FROM people_credit c
                    WHERE c.film_id = f.id AND c.person_id = p.id AND c.role = s.role
                )
            ) AS chosen
            WHERE position = 1
            """,
            [file],
        )
    analyze(candidates)
    middle = fetch(
        f"SELECT film_id FROM {candidates} ORDER BY film_id "
        f"LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM {candidates})"
    )
    columns, selects, params = insert_columns(
        Credit,
        selected={
            "film_id": "film_id",
            "person_id": "person_id",
            "role": "role",
            "character": "character",
            "order": "ordering",
            "billing": "billing",
        },
    )
    # The credits there were before: the films that had some are billed again as a whole.
    last_before = fetch(f"SELECT COALESCE(MAX(id), 0) FROM {Credit._meta.db_table}")[0][0]
    rebill = rebill_sql(
        f"SELECT film_id FROM {candidates} k WHERE {{films}} AND EXISTS ("
        f"SELECT 1 FROM {Credit._meta.db_table} c WHERE c.film_id = k.film_id AND c.id <= %s)"
    )
    # No ON CONFLICT: the window keeps one row per film, person and role, and NOT EXISTS
    # skipped the existing ones, so no row can conflict (and PostgreSQL's speculative
    # insertion cost a fifth of this step's time). In film order, so that each half adds
    # to the unique index's film-first pages one after another.
    insert = (
        f"INSERT INTO {Credit._meta.db_table} ({columns}) SELECT {selects} FROM {candidates} "
        "WHERE {films} ORDER BY film_id, person_id"
    )
    if middle:
        halves = [("film_id < %s", middle[0]), ("film_id >= %s", middle[0])]
    else:
        halves = [("1 = 1", ())]

    def write_half(films: str, bound: tuple) -> int:
        added = execute(insert.format(films=films), [*params, *bound])
        execute(rebill.format(films=films), [*bound, last_before])
        # Their films' popularity counts the new credits, in the same transaction: the
        # candidates are exactly the credits added. (Counting each film's credits
        # again took 7 of the step's 25 s.)
        execute(
            f"""
            UPDATE {Film._meta.db_table} SET popularity = popularity + gained.credits
            FROM (
                SELECT film_id, COUNT(*) AS credits FROM {candidates} WHERE {films}
                GROUP BY film_id
            ) AS gained
            WHERE {Film._meta.db_table}.id = gained.film_id
            """,
            bound,
        )
        # The changes feed lists the visible films that gained credits, and the people
        # credited on them (public once the last step below sets their moment).
        gained = f"SELECT {{column}} FROM {candidates} WHERE {films}"
        visible_films = Film.objects.published()
        record_visible(
            Change.Kind.FILM,
            visible_films.filter(pk__in=RawSQL(gained.format(column="film_id"), bound)),
        )
        visible_sql, visible_params = visible_films.values("pk").query.sql_with_params()
        credited = RawSQL(
            f"{gained.format(column='person_id')} AND film_id IN ({visible_sql})",
            [*bound, *visible_params],
        )
        record_visible(Change.Kind.PERSON, Person._base_manager.filter(pk__in=credited))
        return added

    try:
        summary.added["Mitwirkungen"] += write_in_parallel(
            [functools.partial(write_half, films, bound) for films, bound in halves]
        )
    finally:
        execute(f"DROP TABLE IF EXISTS {candidates}")
    analyze(Credit._meta.db_table)  # title.crew's credits look for these
