"""A PostgreSQL primary and its streaming replica, in a temporary folder on free ports.

`initdb` makes the primary, `pg_basebackup -R` the replica; for the tests both log every
statement to a file of their own, so that a test can tell which of them ran a query. As
root the server programs run as the `postgres` user, who then owns the folder.

`make replica` starts a pair for trying it by hand (`python -m tests.lib.postgres_pair`),
without the statements logged, so that it serves benchmarks too (bench/http_pages.py).
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

SERVER_PROGRAMS = ("initdb", "pg_ctl", "pg_basebackup")


def server_programs() -> Path | None:
    """The folder with PostgreSQL's server programs (Debian keeps them out of PATH)."""
    folders = [os.environ.get("PG_BINDIR", "")]
    folders += sorted(map(str, Path("/usr/lib/postgresql").glob("*/bin")), reverse=True)
    for folder in folders:
        if folder and all((Path(folder) / name).is_file() for name in SERVER_PROGRAMS):
            return Path(folder)
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresPair:
    """Start with `start()`, end with `stop()` (both servers stopped, the folder removed)."""

    def __init__(self, programs: Path, *, log_statements: bool = True) -> None:
        self.programs = programs
        self.log_statements = log_statements
        self.folder = Path(tempfile.mkdtemp(prefix="filmdb-replica-"))
        self.primary_port, self.replica_port = free_port(), free_port()
        self.as_root = os.geteuid() == 0

    def url(self, port: int, database: str = "filmdb") -> str:
        return f"postgres://postgres@127.0.0.1:{port}/{database}"

    @property
    def primary_url(self) -> str:
        return self.url(self.primary_port)

    @property
    def replica_url(self) -> str:
        return self.url(self.replica_port)

    def log(self, server: str) -> Path:
        return self.folder / f"{server}.log"

    def start(self) -> None:
        if self.as_root:
            shutil.chown(self.folder, "postgres", "postgres")
        primary = self.folder / "primary"
        self._run("initdb", "-D", primary, "-U", "postgres", "--auth=trust", "--no-sync",
                  "--encoding=UTF8", "--locale=C.UTF-8")  # fmt: skip
        settings = {
            "port": self.primary_port,
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.folder}'",
            "fsync": "off",
            "full_page_writes": "off",
            "log_statement": "'all'" if self.log_statements else "'none'",
            "log_checkpoints": "off",
        }
        self._configure(primary, settings)
        self._run("pg_ctl", "-D", primary, "-l", self.log("primary"), "-w", "start")
        replica = self.folder / "replica"
        self._run("pg_basebackup", "-h", "127.0.0.1", "-p", str(self.primary_port),
                  "-U", "postgres", "-D", replica, "-R", "-X", "stream")  # fmt: skip
        self._configure(replica, {**settings, "port": self.replica_port})
        self._run("pg_ctl", "-D", replica, "-l", self.log("replica"), "-w", "start")
        with self.connect("primary", "postgres") as primary_db:
            primary_db.execute("CREATE DATABASE filmdb")

    def stop_replica(self) -> None:
        self._run("pg_ctl", "-D", self.folder / "replica", "-m", "fast", "-w", "stop")

    def start_replica(self) -> None:
        self._run("pg_ctl", "-D", self.folder / "replica", "-l", self.log("replica"), "-w", "start")

    def stop(self) -> None:
        for server in ("replica", "primary"):
            if (self.folder / server / "postmaster.pid").exists():
                with contextlib.suppress(subprocess.CalledProcessError):
                    self._run("pg_ctl", "-D", self.folder / server, "-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)

    def connect(self, server: str, database: str = "filmdb") -> psycopg.Connection:
        port = self.primary_port if server == "primary" else self.replica_port
        return psycopg.connect(self.url(port, database), autocommit=True)

    def wait_for_replay(self, timeout: float = 30) -> None:
        """Until the replica has replayed all the primary wrote so far."""
        with self.connect("primary", "postgres") as primary:
            (position,) = primary.execute("SELECT pg_current_wal_lsn()").fetchone()
        deadline = time.monotonic() + timeout
        with self.connect("replica", "postgres") as replica:
            while time.monotonic() < deadline:
                (done,) = replica.execute(
                    "SELECT pg_last_wal_replay_lsn() >= %s", [position]
                ).fetchone()
                if done:
                    return
                time.sleep(0.05)
        raise AssertionError(f"the replica did not replay {position} within {timeout} s")

    def _configure(self, folder: Path, settings: dict) -> None:
        lines = "".join(f"{name} = {value}\n" for name, value in settings.items())
        with (folder / "postgresql.conf").open("a") as conf:
            conf.write(lines)

    def _run(self, program: str, *args) -> None:
        command = [str(self.programs / program), *map(str, args)]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, cwd=self.folder)


def main() -> None:
    programs = server_programs()
    if programs is None:
        raise SystemExit("PostgreSQL's server programs (initdb, pg_basebackup) are missing.")
    pair = PostgresPair(programs, log_statements=False)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        pair.start()
        print(f"Primär:  DATABASE_URL={pair.primary_url}")  # noqa: T201
        print(f"Replikat: DATABASE_REPLICA_URLS={pair.replica_url}")  # noqa: T201
        print(f"Logs in {pair.folder}; Strg-C beendet beide.")  # noqa: T201
        signal.sigwait({signal.SIGINT, signal.SIGTERM})
    finally:
        pair.stop()


if __name__ == "__main__":
    main()
