"""A killed import's unlogged table is removed by the next run; a running import's stays."""

import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]

BASICS = (
    "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear"
    "\truntimeMinutes\tgenres\n"
    "tt0000001\tmovie\tGut\tGut\t0\t2001\t\\N\t90\tDrama\n"
)


def sessions() -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # else read once a transaction
        cursor.execute("SELECT pid FROM pg_stat_activity")
        return {pid for (pid,) in cursor.fetchall()}


def open_session():
    """Another session, as another import would hold it; and its pid."""
    other = connections.create_connection("default")
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return other, cursor.fetchone()[0]


def candidate_tables() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relname LIKE 'imdb\\_credit\\_candidate\\_%%'"
        )
        return {name for (name,) in cursor.fetchall()}


def test_the_next_run_removes_a_killed_imports_table_but_not_a_running_ones(db, tmp_path):
    killed, killed_pid = open_session()
    killed.close()
    for _ in range(100):  # its server process ends a moment after the connection
        if killed_pid not in sessions():
            break
        time.sleep(0.05)
    else:
        pytest.fail("the closed session's server process did not end")
    running, running_pid = open_session()
    try:
        with connection.cursor() as cursor:
            for pid in (killed_pid, running_pid):
                cursor.execute(f"CREATE UNLOGGED TABLE imdb_credit_candidate_{pid} (film_id int)")
        (tmp_path / "title.basics.tsv").write_text(BASICS, encoding="utf-8")

        call_command("import_imdb", str(tmp_path), stdout=StringIO())

        assert candidate_tables() == {f"imdb_credit_candidate_{running_pid}"}
    finally:
        running.close()
