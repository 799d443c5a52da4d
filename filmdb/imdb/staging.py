"""Temporary staging tables: COPY on PostgreSQL, batched executemany on SQLite."""

from collections.abc import Iterable

from django.db import connection

SQLITE_BATCH = 10_000


class Stage:
    """A temporary table that rows stream into, for set-based SQL afterwards."""

    def __init__(self, name: str, columns: dict[str, str]) -> None:
        self.name, self.columns = name, columns
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
            definition = ", ".join(f"{column} {kind}" for column, kind in columns.items())
            cursor.execute(f"CREATE TEMP TABLE {name} ({definition})")

    def load(self, rows: Iterable[tuple]) -> None:
        names = ", ".join(self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {self.name} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                return
            placeholders = ", ".join("?" for _ in self.columns)
            sql = f"INSERT INTO {self.name} ({names}) VALUES ({placeholders})"
            batch = []
            for row in rows:
                batch.append(row)
                if len(batch) >= SQLITE_BATCH:
                    cursor.cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.cursor.executemany(sql, batch)

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
