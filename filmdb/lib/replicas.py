"""Visitors' reads from PostgreSQL streaming replicas (DATABASE_REPLICA_URLS).

Everything reads from the primary ("default") unless a request chose a replica with
`reading_from`: ReplicaRouter sends the ORM's reads there, and `read_connection` is
`django.db.connection` for raw SQL of pages that visitors see. A write pins the rest of
the request to the primary.

A replica is chosen only once it has replayed the WAL position the reader needs
(`fresh_replica`), with one query on it. One that does not answer, or that lags more
than DATABASE_REPLICA_MAX_LAG seconds, is left alone for DATABASE_REPLICA_RETRY_SECONDS
by this process, and the primary serves in its place. Why a router of our own:
docs/decisions/read-replicas.md.
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

# Whether the replica has replayed the position asked for (a pg_lsn), and how many seconds
# it lags behind the primary: none while it has replayed all it received, else the time
# since the last transaction it replayed.
REPLAY_STATE = """
    SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn,
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

    One replica is asked (one query), chosen at random among those not skipped. None
    when `position` is unknown: a replica could then be older than the content.
    """
    now = time.monotonic()
    candidates = [alias for alias in replica_aliases() if _skipped_until.get(alias, 0) <= now]
    if position is None or not candidates:
        return None
    alias = random.choice(candidates)
    # A connection kept from an earlier request may have broken since (the replica
    # restarted): then it is asked once more on a new one before it is skipped.
    attempts = 2 if connections[alias].connection is not None else 1
    for attempt in range(attempts):
        try:
            replayed, lag = _replay_state(alias, position)
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
    return alias if replayed else None


def replica_report() -> dict[str, dict]:
    """For /healthz: each replica's lag in seconds, or its error, in German."""
    report = {}
    for alias in replica_aliases():
        try:
            _, lag = _replay_state(alias, "0/0")
        except Error as error:
            report[alias] = {"status": f"Fehler: {error.__class__.__name__}"}
            continue
        status = "ok" if lag <= settings.DATABASE_REPLICA_MAX_LAG else "zu weit zurück"
        report[alias] = {"status": status, "verzögerung_sekunden": round(lag, 1)}
    return report


def _replay_state(alias: str, position: str) -> tuple[bool, float]:
    with connections[alias].cursor() as cursor:
        cursor.execute(REPLAY_STATE, [position])
        replayed, lag = cursor.fetchone()
    # Not in recovery (promoted, or a primary by mistake): nothing replayed, never used.
    return bool(replayed), float(lag or 0)


def _skip(alias: str, reason: str) -> None:
    if alias not in _skipped_until:
        logger.warning("Replica %s %s: visitors read from the primary.", alias, reason)
    _skipped_until[alias] = time.monotonic() + settings.DATABASE_REPLICA_RETRY_SECONDS
