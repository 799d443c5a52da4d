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
