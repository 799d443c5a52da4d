"""The import's PostgreSQL-only speed-ups, all in this one module.

Everything else in the import runs the same SQL on both databases. What these gained:
docs/decisions/imdb-import-bulk-writes.md. On SQLite they change nothing.
"""

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def bulk_transaction() -> Iterator[None]:
    """One step's transaction, which may sort and hash a million staged rows in memory
    instead of spilling them to disk in 4 MB pieces (the default work_mem).

    SET LOCAL: the memory is this transaction's, and goes back when it ends.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '256MB'")
        yield


def shared_table(name: str) -> tuple[str, str]:
    """(kind, name) for `CREATE {kind} TABLE {name}` of a table that the connections of
    `write_in_parallel` read: on PostgreSQL an unlogged table (a temporary one is seen by
    its own session only), named after this session so that two imports at once keep
    theirs apart; elsewhere a temporary table."""
    if connection.vendor != "postgresql":
        return "TEMP", name
    return "UNLOGGED", f"{name}_{connection.connection.info.backend_pid}"


def drop_abandoned_shared_tables(name: str) -> None:
    """Drop the `shared_table`s called `name` that sessions now ended left behind.

    A killed import never drops its unlogged table, which outlives the session. Each is
    named after the session that made it, and that session stays connected until it
    drops it: a table whose session is not in pg_stat_activity (which lists every
    session's pid, whatever the user's rights) belongs to no running import. Another
    import running at the same time keeps its table.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        # pg_stat_activity is read once a transaction: inside one (the tests), sessions
        # that began since would be missing, and their tables taken for abandoned.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            """
            SELECT relname FROM pg_class
            WHERE relnamespace = current_schema()::regnamespace
                AND relkind = 'r' AND relpersistence = 'u' AND relname ~ %s
                -- As text: a cast would fail on another table's overlong number.
                AND substring(relname FROM '[0-9]+$') NOT IN (
                    SELECT pid::text FROM pg_stat_activity
                )
            """,
            [f"^{name}_[0-9]+$"],
        )
        for (table,) in cursor.fetchall():
            cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)}")


def write_in_parallel(writes: list[Callable[[], int]]) -> int:
    """Run each write in a transaction of its own; the number of rows written.

    On PostgreSQL, outside any transaction, each on a connection of its own and all at
    once: a bulk insert's foreign-key checks run one row at a time in the inserting
    session, and two sessions use two cores. Inside a transaction (the tests) or on
    SQLite, which writes one transaction at a time, one after another.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        total = 0
        for write in writes:
            with bulk_transaction():
                total += write()
        return total

    def write_and_close(write: Callable[[], int]) -> int:
        try:
            with bulk_transaction():
                return write()
        finally:
            connection.close()  # this thread's own connection

    with ThreadPoolExecutor(max_workers=len(writes)) as pool:
        return sum(pool.map(write_and_close, writes))
