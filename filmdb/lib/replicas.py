"""Visitors' reads from PostgreSQL streaming replicas (DATABASE_REPLICA_URLS).

Everything reads from the primary ("default") unless a request chose a replica with
`reading_from`: ReplicaRouter sends the ORM's reads there, and `read_connection` is
`django.db.connection` for raw SQL of pages that visitors see. A write pins the rest of
the request to the primary.

A replica is chosen only once it has replayed the WAL position the reader needs
(`fresh_replica`), with one query on it; a position it was seen to have replayed within
the last DATABASE_REPLICA_CHECK_SECONDS needs no query, since positions only move
forward. One that does not answer, or that lags more than DATABASE_REPLICA_MAX_LAG
seconds, is left alone for DATABASE_REPLICA_RETRY_SECONDS by this process, and the
primary serves in its place. Why a router of our own: docs/decisions/read-replicas.md.
"""

import contextlib
import logging
import random
import time
from collections.abc import Iterator
from contextvars import ContextVar

from django.conf import settings
from django.db import (
    DEFAULT_DB_ALIAS,
    Error,  # DatabaseError, and InterfaceError for a connection that broke
    connections,
)
from django.db.backends.base.base import BaseDatabaseWrapper

logger = logging.getLogger(__name__)

# The replica this request reads from; None: the primary.
_reading_from: ContextVar[str | None] = ContextVar("filmdb_reading_from", default=None)
# Replicas this process leaves alone until the moment (time.monotonic()) noted.
_skipped_until: dict[str, float] = {}
# The WAL position (as a number) each replica was last seen to have replayed, and when.
_replayed: dict[str, tuple[int, float]] = {}

# The position the replica has replayed (NULL on a server not in recovery), and how many
# seconds it lags behind the primary: none while it has replayed all it received, else
# the time since the last transaction it replayed.
REPLAY_STATE = """
    SELECT pg_last_wal_replay_lsn()::text,
           CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
           END
"""


def replica_aliases() -> list[str]:
    return getattr(settings, "DATABASE_REPLICAS", [])


class ReplicaRouter:
    """Reads where the request chose to read; writes, migrations and the rest on the
    primary. After a write the request reads from the primary too (its own change)."""

    def db_for_read(self, model, **hints) -> str | None:
        return _reading_from.get()

    def db_for_write(self, model, **hints) -> str:
        _reading_from.set(None)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the same rows, wherever they were read

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool | None:
        return None if db == DEFAULT_DB_ALIAS else False


@contextlib.contextmanager
def reading_from(alias: str | None) -> Iterator[None]:
    """Reads inside go to `alias` (None: the primary); afterwards as before."""
    token = _reading_from.set(alias)
    try:
        yield
    finally:
        _reading_from.reset(token)


def read_from(alias: str | None) -> None:
    """From now on, until the surrounding `reading_from` ends, read from `alias`."""
    _reading_from.set(alias)


def reading_alias() -> str:
    return _reading_from.get() or DEFAULT_DB_ALIAS


class ReadConnection:
    """`django.db.connection` for the database the request reads from."""

    def __getattr__(self, name: str):
        return getattr(connections[reading_alias()], name)


read_connection: BaseDatabaseWrapper = ReadConnection()  # type: ignore[assignment]


def primary_position() -> str | None:
    """The primary's WAL position now (a pg_lsn such as '0/3000148'), when replicas are
    configured; None without them, or when the primary does not answer."""
    if not replica_aliases():
        return None
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            return cursor.fetchone()[0]
    except Error:
        return None


def fresh_replica(position: str | None) -> str | None:
    """A replica that has replayed `position`, or None to read from the primary.

    One replica is chosen at random among those not skipped, and asked one query unless
    it was seen to have replayed `position` within DATABASE_REPLICA_CHECK_SECONDS. None
    when `position` is unknown: a replica could then be older than the content.
    """
    now = time.monotonic()
    candidates = [alias for alias in replica_aliases() if _skipped_until.get(alias, 0) <= now]
    if position is None or not candidates:
        return None
    alias = random.choice(candidates)
    needed = wal_number(position)
    replayed, seen = _replayed.get(alias, (-1, 0.0))
    if needed <= replayed and now - seen < settings.DATABASE_REPLICA_CHECK_SECONDS:
        return alias
    # A connection kept from an earlier request may have broken since (the replica
    # restarted): then it is asked once more on a new one before it is skipped.
    attempts = 2 if connections[alias].connection is not None else 1
    for attempt in range(attempts):
        try:
            replayed, lag = _replay_state(alias)
            break
        except Error as error:
            with contextlib.suppress(Error):
                connections[alias].close()
            if attempt == attempts - 1:
                _skip(alias, f"does not answer ({error.__class__.__name__})")
                return None
    if lag > settings.DATABASE_REPLICA_MAX_LAG:
        _skip(alias, f"lags {lag:.1f} s behind the primary")
        return None
    if _skipped_until.pop(alias, None) is not None:
        logger.warning("Replica %s answers again; visitors read from it.", alias)
    _replayed[alias] = (replayed, now)
    return alias if replayed >= needed else None


def replica_failed(alias: str, error: Error) -> None:
    """`alias` failed a request's read after it was chosen (stopped since it was last
    asked): this process leaves it alone for a while, and its connection is dropped."""
    with contextlib.suppress(Error):
        connections[alias].close()
    _skip(alias, f"failed a read ({error.__class__.__name__})")


def wal_number(position: str) -> int:
    """A pg_lsn such as '16/B374D848' as a number, to compare positions in order."""
    high, _, low = position.partition("/")
    return (int(high, 16) << 32) + int(low, 16)


def replica_report() -> dict[str, dict]:
    """For /healthz: each replica's lag in seconds, or its error, in German."""
    report = {}
    for alias in replica_aliases():
        try:
            _, lag = _replay_state(alias)
        except Error as error:
            report[alias] = {"status": f"Fehler: {error.__class__.__name__}"}
            continue
        status = "ok" if lag <= settings.DATABASE_REPLICA_MAX_LAG else "zu weit zurück"
        report[alias] = {"status": status, "verzögerung_sekunden": round(lag, 1)}
    return report


def _replay_state(alias: str) -> tuple[int, float]:
    """The WAL position `alias` has replayed, as a number, and its lag in seconds."""
    with connections[alias].cursor() as cursor:
        cursor.execute(REPLAY_STATE)
        replayed, lag = cursor.fetchone()
    # Not in recovery (promoted, or a primary by mistake): nothing replayed, never used.
    return (-1 if replayed is None else wal_number(replayed)), float(lag or 0)


def _skip(alias: str, reason: str) -> None:
    if alias not in _skipped_until:
        logger.warning("Replica %s %s: visitors read from the primary.", alias, reason)
    _replayed.pop(alias, None)
    _skipped_until[alias] = time.monotonic() + settings.DATABASE_REPLICA_RETRY_SECONDS
