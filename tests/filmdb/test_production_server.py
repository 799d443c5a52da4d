"""gunicorn as `make serve` runs it, against a PostgreSQL or a Redis that accepts
connections and never answers: each costs a request seconds, never the worker, and the
logs keep the errors but nothing about the visitors.

Each server runs the production settings (DEBUG off, HTTPS redirect on, behind a proxy
that says `X-Forwarded-Proto: https`) with one worker, so that its logs are one process's.
"""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.lib.fake_servers import SilentServer

# One worker under pytest-xdist runs the whole module, so that each server (module-scoped)
# and the collected static files are made once, not once per worker.
pytestmark = pytest.mark.xdist_group("production-server")

BASE_DIR = Path(settings.BASE_DIR)
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "production-server-test-secret-key-0123456789-abcdefghijkl",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "DJANGO_SECURE_PROXY_SSL_HEADER": "1",
}
# Seconds a request may take here; the hangs these tests guard against took 30 s (the
# worker killed by gunicorn) or more.
NO_HANG = 10


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs) -> None:
        return None


NOT_FOLLOWING = urllib.request.build_opener(NoRedirects)


def access_log_format() -> str:
    """The `--access-logformat` that `make serve` gives gunicorn."""
    dry_run = subprocess.run(
        ["make", "--no-print-directory", "-n", "serve"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    found = re.search(r"--access-logformat '([^']*)'", dry_run.stdout)
    assert found, "make serve sets no --access-logformat"
    return found.group(1)


@pytest.fixture(scope="module")
def static_root(tmp_path_factory) -> Path:
    """Collected static files: the 500 page links the hashed stylesheet."""
    root = tmp_path_factory.mktemp("static")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity=0"],
        cwd=BASE_DIR,
        env={**clean_environment(), **PRODUCTION, "DJANGO_STATIC_ROOT": str(root)},
        check=True,
    )
    return root


def clean_environment() -> dict:
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }


class Server:
    def __init__(self, folder: Path, static_root: Path, **env: str) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        self.access_log = folder / "access.log"
        self.error_log = folder / "error.log"
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        self._access, self._errors = self.access_log.open("w"), self.error_log.open("w")
        self.process = subprocess.Popen(
            [gunicorn, "filmdb.wsgi", f"--bind=127.0.0.1:{port}", "--workers=1"]
            + ["--access-logfile=-", f"--access-logformat={access_log_format()}"]
            # No control socket in the home folder, which other servers may share.
            + ["--no-control-socket"],
            cwd=BASE_DIR,
            env={
                **clean_environment(),
                **PRODUCTION,
                "DJANGO_STATIC_ROOT": str(static_root),
                "DJANGO_MEDIA_ROOT": str(folder / "media"),
                **env,
            },
            stdout=self._access,
            stderr=self._errors,
        )
        self._wait_until_up()

    def _wait_until_up(self) -> None:
        for _ in range(150):
            try:
                # Redirected to HTTPS before the cache or the database is asked.
                self.get("/robots.txt", timeout=2)
                return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"gunicorn did not come up: {self.error_log.read_text()}")

    def get(self, path: str, timeout: float = NO_HANG, **headers: str) -> tuple[int, str]:
        """Status and body, redirects not followed; the time it may take is `timeout`."""
        request = urllib.request.Request(self.url + path, headers=headers)
        try:
            with NOT_FOLLOWING.open(request, timeout=timeout) as answer:
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def page(self, path: str, timeout: float = NO_HANG, **headers: str) -> tuple[int, str]:
        """As a visitor through the TLS-terminating proxy."""
        return self.get(path, timeout, **{"X-Forwarded-Proto": "https", **headers})

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self._access.close()
        self._errors.close()


@pytest.fixture(scope="module")
def hung_postgresql(tmp_path_factory, static_root):
    with SilentServer() as database:
        server = Server(
            tmp_path_factory.mktemp("hung-postgresql"),
            static_root,
            DATABASE_URL=f"postgres://filmdb@127.0.0.1:{database.port}/filmdb",
            DJANGO_DB_CONNECT_TIMEOUT_SECONDS="2",
        )
        yield server
        server.stop()


@pytest.fixture(scope="module")
def hung_redis(tmp_path_factory, static_root):
    folder = tmp_path_factory.mktemp("hung-redis")
    with SilentServer() as redis:
        server = Server(
            folder,
            static_root,
            DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
            REDIS_URL=f"redis://127.0.0.1:{redis.port}/0",
        )
        yield server
        server.stop()


def test_healthz_answers_503_within_seconds_while_postgresql_hangs(hung_postgresql):
    # Plain HTTP, as a load balancer checks: not redirected to HTTPS as pages are.
    assert hung_postgresql.get("/robots.txt")[0] == 301
    status, body = hung_postgresql.get("/healthz")
    assert status == 503
    assert json.loads(body) == {"datenbank": "Fehler: OperationalError", "cache": "ok"}


def test_a_page_fails_within_seconds_and_its_error_is_logged(hung_postgresql):
    status, body = hung_postgresql.page("/")
    assert status == 500
    assert "Da ist etwas schiefgegangen" in body
    errors = hung_postgresql.error_log.read_text()
    assert "ERROR django.request: Internal Server Error: /\n" in errors
    assert "Traceback (most recent call last)" in errors
    assert "OperationalError" in errors


def test_pages_render_while_redis_hangs_and_the_outage_is_logged_once(hung_redis):
    # The first page waits for Redis once, a second (DJANGO_REDIS_TIMEOUT_MS), not
    # redis-py's 5; the next ones do not ask it.
    started = time.monotonic()
    answers = [hung_redis.page("/robots.txt")]
    assert time.monotonic() - started < 4
    answers += [hung_redis.page("/robots.txt") for _ in range(4)]
    assert time.monotonic() - started < NO_HANG
    for status, body in answers:
        assert status == 200
        assert "Disallow: /admin/" in body
    assert hung_redis.error_log.read_text().count("WARNING filmdb.lib.redis_cache") == 1


def test_healthz_answers_503_naming_the_cache_while_redis_hangs(hung_redis):
    status, body = hung_redis.get("/healthz")
    assert status == 503
    checks = json.loads(body)
    assert checks["datenbank"] == "ok"
    assert checks["cache"].startswith("Fehler: ")


def test_the_access_log_keeps_no_address_user_agent_or_referrer(hung_redis):
    hung_redis.page(
        "/robots.txt?von=test",
        **{"User-Agent": "Testbrowser/7.3", "Referer": "https://verweis.example/seite"},
    )
    for _ in range(50):  # gunicorn writes the line once the answer is out
        log = hung_redis.access_log.read_text()
        lines = [line for line in log.splitlines() if "von=test" in line]
        if lines:
            break
        time.sleep(0.1)
    assert len(lines) == 1
    assert '"GET /robots.txt?von=test HTTP/1.1" 200' in lines[0]
    for kept in ("127.0.0.1", "Testbrowser", "verweis.example"):
        assert kept not in lines[0]
