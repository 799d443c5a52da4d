"""Temporary staging tables, and the set-based SQL that writes staged rows.

Rows stream into a staging table (COPY on PostgreSQL, batched executemany on SQLite);
INSERT … SELECT then writes them, with column lists taken from the models.
"""

import types
import typing
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.db import connection, models
from django.utils import timezone

SQLITE_BATCH = 10_000


class Stage:
    """A temporary table with a column for each field of `row_type`, a NamedTuple whose
    annotations give the column types (int: integer, anything else: text)."""

    def __init__(self, name: str, row_type: type[NamedTuple]) -> None:
        self.name = name
        self.columns = {
            column: "integer" if _is_int(kind) else "text"
            for column, kind in typing.get_type_hints(row_type).items()
        }
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
            definition = ", ".join(f"{column} {kind}" for column, kind in self.columns.items())
            cursor.execute(f"CREATE TEMP TABLE {name} ({definition})")

    def load(self, rows: Iterable[tuple]) -> None:
        copy_rows(self.name, list(self.columns), rows)

    def prepare_lookups(self, *columns: str) -> None:
        """Ready the table for joins on each of `columns`.

        PostgreSQL hash-joins a staging table and only needs statistics; SQLite joins
        through indexes, and without one a correlated NOT EXISTS reads the whole table
        for every row.
        """
        with connection.cursor() as cursor:
            if connection.vendor != "postgresql":
                for column in columns:
                    cursor.execute(f"CREATE INDEX {self.name}_{column} ON {self.name} ({column})")
            cursor.execute(f"ANALYZE {self.name}")

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.name}")


def _is_int(kind: Any) -> bool:
    """int, or int | None."""
    return kind is int or (isinstance(kind, types.UnionType) and int in typing.get_args(kind))


def copy_rows(table: str, columns: list[str], rows: Iterable[tuple]) -> None:
    """Stream `rows` into `table`: COPY on PostgreSQL, batched executemany on SQLite."""
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join("?" for _ in columns)
        sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) >= SQLITE_BATCH:
                cursor.cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.cursor.executemany(sql, batch)


def default_values(
    model: type[models.Model], *, exclude: Iterable[str], given: dict[str, Any] | None = None
) -> list[tuple[str, Any]]:
    """(column, value ready for the database) for each of `model`'s columns but the
    `exclude`d ones (by column name): from `given` (by field name), the current time
    (auto_now and auto_now_add) or the field's default. The primary key and columns with
    a database default are left to the database. A new field with a default so never
    breaks a bulk write."""
    given = given or {}
    exclude = set(exclude)
    now = timezone.now()
    values = []
    for field in model._meta.concrete_fields:
        if field.column in exclude or field.primary_key or field.has_db_default():
            continue
        if field.name in given:
            value = given[field.name]
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        else:
            value = field.get_default()
        values.append((field.column, field.get_db_prep_save(value, connection)))
    return values


def insert_columns(
    model: type[models.Model], *, selected: dict[str, str], given: dict[str, Any] | None = None
) -> tuple[str, str, list]:
    """(column list, select list, parameters) for an INSERT … SELECT into `model`'s table.

    `selected` maps columns to the SQL that selects them; every other column is filled as
    `default_values` says.
    """
    defaults = default_values(model, exclude=selected, given=given)
    columns = [*selected, *(column for column, _ in defaults)]
    selects = [*selected.values(), *("%s" for _ in defaults)]
    params = [value for _, value in defaults]
    return ", ".join(connection.ops.quote_name(c) for c in columns), ", ".join(selects), params


def insert_new_rows(
    model: type[models.Model], *, stage: Stage, given: dict[str, Any] | None = None
) -> int:
    """Add a row to `model`'s table for each staged row whose `imdb_id` it lacks.

    Staged columns named like one of the model's are copied; the rest of the model's
    columns are filled as `insert_columns` says. A slug already taken, or taken twice
    within the stage, gets the IMDb id appended.
    """
    table = model._meta.db_table
    model_columns = {field.column for field in model._meta.concrete_fields}
    selected = {column: f"s.{column}" for column in stage.columns if column in model_columns}
    selected["slug"] = (
        f"CASE WHEN s.duplicate > 1 OR EXISTS (SELECT 1 FROM {table} t WHERE t.slug = s.slug) "
        "THEN s.slug || '-' || s.imdb_id ELSE s.slug END"
    )
    columns, selects, params = insert_columns(model, selected=selected, given=given)
    return execute(
        f"""
        INSERT INTO {table} ({columns})
        SELECT {selects}
        FROM (
            SELECT *, ROW_NUMBER() OVER (PARTITION BY slug ORDER BY imdb_id) AS duplicate
            FROM {stage.name}
            WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE t.imdb_id = {stage.name}.imdb_id)
        ) AS s
        """,
        params,
    )


def insert_ignoring_duplicates(table: str, columns: str, select: str) -> str:
    """INSERT … SELECT that skips rows a unique constraint already holds."""
    if connection.vendor == "postgresql":
        return f"INSERT INTO {table} ({columns}) {select} ON CONFLICT DO NOTHING"
    return f"INSERT OR IGNORE INTO {table} ({columns}) {select}"


def execute(sql: str, params: list | tuple = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def fetch(sql: str, params: list | tuple = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def analyze(*tables: str) -> None:
    """Fresh planner statistics for `tables`, just filled in bulk (PostgreSQL).

    Autovacuum comes round to them only later: meanwhile the planner takes them for
    nearly empty, and a count over a table it misjudges can read another whole table for
    every row (generate_films' ratings: over 15 minutes at 700,000 films).
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
