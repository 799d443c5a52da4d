"""Visitors read from a real streaming replica, and never see a page older than an edit.

A primary and its replica (tests/lib/postgres_pair.py) hold the demo site; gunicorn
serves it with DATABASE_REPLICA_URLS naming the replica and pages cached in the tests'
Redis. Both servers log every statement, so the tests see which one ran a request's
queries. Pausing the replica's replay (`pg_wal_replay_pause()`) makes it lag behind.
"""

import http.cookiejar
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.urls import reverse

from filmdb.demo import FILM_SLUG
from tests.conftest import TEST_CACHE_KEY_PREFIX, TEST_REDIS_URL
from tests.filmdb.test_production_server import NO_HANG, Server, clean_environment, static_root
from tests.html_forms import form_fields
from tests.lib.postgres_pair import PostgresPair, server_programs

# One worker runs the whole module: one pair of servers and one app server for it.
pytestmark = [pytest.mark.postgresql, pytest.mark.xdist_group("replicas")]

__all__ = ["static_root"]  # the fixture, for this module's server

FILM = reverse("films:detail", kwargs={"slug": FILM_SLUG})
PERSON = reverse("people:detail", kwargs={"slug": "marion-cotillard"})
SEARCH = reverse("films:list")
OLD_TITLE = "Der Geschmack von Rost und Knochen"


def required() -> bool:
    return os.environ.get("CI") == "true" or bool(os.environ.get("REQUIRE_POSTGRESQL"))


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    return tmp_path_factory.mktemp("replica-media")


@pytest.fixture(scope="module")
def pair(media):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the PostgreSQL run of the tests starts its own primary and replica")
    programs = server_programs()
    if programs is None:
        message = "PostgreSQL's server programs (initdb, pg_basebackup) are missing"
        if required():
            pytest.fail(message)
        pytest.skip(message)
    pair = PostgresPair(programs)
    try:
        pair.start()
        env = {
            **clean_environment(),
            "DATABASE_URL": pair.primary_url,
            "DJANGO_DEBUG": "1",  # the demo's editor is for DEBUG only
            "DJANGO_MEDIA_ROOT": str(media),
        }
        for command in (["migrate", "--verbosity=0"], ["load_demo"], ["create_demo_editor"]):
            subprocess.run(
                [sys.executable, "manage.py", *command],
                cwd=settings.BASE_DIR,
                env=env,
                check=True,
                capture_output=True,
            )
        pair.wait_for_replay()
        yield pair
    finally:
        pair.stop()


def serve(pair: PostgresPair, media: Path, static_root: Path, folder: Path, **env) -> Server:
    """gunicorn for the pair's site, reading from its replica."""
    return Server(
        folder,
        static_root,
        DATABASE_URL=pair.primary_url,
        DATABASE_REPLICA_URLS=pair.replica_url,
        DATABASE_REPLICA_RETRY_SECONDS="1",
        REDIS_URL=TEST_REDIS_URL,
        # Under this worker's prefix: emptied before each test (tests/conftest.py).
        DJANGO_CACHE_KEY_PREFIX=f"{TEST_CACHE_KEY_PREFIX}:replicas",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_MEDIA_ROOT=str(media),
        **env,
    )


@pytest.fixture(scope="module")
def site(pair, media, static_root, tmp_path_factory):
    # Replay is paused for minutes at most here: only a stopped replica is skipped.
    server = serve(
        pair, media, static_root, tmp_path_factory.mktemp("site"), DATABASE_REPLICA_MAX_LAG="3600"
    )
    yield server
    server.stop()


@pytest.fixture
def paused(pair):
    """The replica receives the primary's changes but replays none until the test ends."""
    pair.wait_for_replay()
    with pair.connect("replica", "postgres") as replica:
        replica.execute("SELECT pg_wal_replay_pause()")
        yield
        replica.execute("SELECT pg_wal_replay_resume()")
    pair.wait_for_replay()


def visit(site: Server, path: str) -> str:
    status, body = site.get(path)
    assert status == 200, f"{path}: {status}\n{site.error_log.read_text()[-3000:]}"
    return body


def statements(pair: PostgresPair, server: str) -> str:
    return pair.log(server).read_text(errors="replace")


def queries_during(pair: PostgresPair, action) -> dict[str, str]:
    """What each server logged while `action` ran."""
    before = {server: len(statements(pair, server)) for server in ("primary", "replica")}
    action()  # each server has logged a statement before it answered it
    return {server: statements(pair, server)[start:] for server, start in before.items()}


def logged_in_editor(site: Server) -> urllib.request.OpenerDirector:
    """The demo's Redaktion account, logged in through the admin's form."""
    editor = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    login_page = editor.open(f"{site.url}/admin/login/", timeout=NO_HANG).read().decode()
    login = {
        **form_fields(login_page, "login-form"),
        "username": "redaktion",
        "password": "filmdb-demo",
    }
    editor.open(f"{site.url}/admin/login/", urlencode(login).encode(), timeout=NO_HANG)
    return editor


def rename_film(pair: PostgresPair, site: Server, title: str) -> None:
    """As the Redaktion does it: the film's admin form saved with a new title."""
    editor = logged_in_editor(site)
    with pair.connect("primary") as primary:
        (film_id,) = primary.execute(
            "SELECT id FROM films_film WHERE slug = %s", [FILM_SLUG]
        ).fetchone()
    change_url = f"{site.url}/admin/films/film/{film_id}/change/"
    change_page = editor.open(change_url, timeout=NO_HANG).read().decode()
    data = {**form_fields(change_page, "film_form"), "title": title}
    saved = editor.open(change_url, urlencode(data, doseq=True).encode(), timeout=NO_HANG)
    assert "wurde erfolgreich geändert" in saved.read().decode()


def test_visitors_searches_and_pages_run_on_the_replica_once_it_has_caught_up(pair, site):
    pair.wait_for_replay()
    search = SEARCH + "?" + urlencode({"q": "Kupferkessel"})
    ran = queries_during(pair, lambda: [visit(site, search), visit(site, FILM)])
    # The search's words and the film page's slug are among the statements' parameters.
    assert "kupferkessel" in ran["replica"].lower()
    assert "kupferkessel" not in ran["primary"].lower()
    assert FILM_SLUG in ran["replica"]
    assert FILM_SLUG not in ran["primary"]


def test_an_editors_new_title_shows_at_once_while_the_replica_lags(pair, site, paused):
    search = SEARCH + "?" + urlencode({"q": "Zinnober"})
    for path in (FILM, PERSON, search):  # cached with the old title (or without a hit)
        visit(site, path)
    assert "Zinnober und Knochen" not in visit(site, search)

    rename_film(pair, site, "Zinnober und Knochen")

    with pair.connect("replica") as replica:  # the replica has not replayed the save
        assert replica.execute(
            "SELECT count(*) FROM films_film WHERE title = %s", [OLD_TITLE]
        ).fetchone() == (1,)
    for _ in range(2):  # rendered, then from the cache
        assert "Zinnober und Knochen" in visit(site, FILM)
        assert "Zinnober und Knochen" in visit(site, PERSON)
        assert "Zinnober und Knochen" in visit(site, search)


def test_a_lagging_replica_is_not_read_for_newer_content(pair, site, paused):
    rename_film(pair, site, "Kadmium und Knochen")
    ran = queries_during(pair, lambda: visit(site, SEARCH + "?q=Kadmium"))
    assert "kadmium" in ran["primary"].lower()
    assert "kadmium" not in ran["replica"].lower()


def test_editors_pages_and_counted_clicks_read_from_the_primary(pair, site):
    pair.wait_for_replay()
    offer = visit(site, FILM).split('href="/weiter/', 1)[1].split('"', 1)[0]
    editor = logged_in_editor(site)
    ran = queries_during(
        pair,
        lambda: [
            editor.open(site.url + FILM, timeout=NO_HANG).read(),
            site.get(f"/weiter/{offer}", **{"User-Agent": "Mozilla/5.0"}),
        ],
    )
    assert "films_film" in ran["primary"] and "films_offerclick" in ran["primary"]
    assert ran["replica"] == ""


def test_healthz_reports_the_replicas_lag(pair, site):
    pair.wait_for_replay()
    status, body = site.get("/healthz")
    assert status == 200
    report = json.loads(body)
    assert report["replikate"]["replica_1"]["status"] == "ok"
    assert report["replikate"]["replica_1"]["verzögerung_sekunden"] >= 0


def test_a_replica_further_behind_than_the_limit_is_skipped_and_reported(
    pair, site, media, static_root, tmp_path, paused
):
    strict = serve(pair, media, static_root, tmp_path, DATABASE_REPLICA_MAX_LAG="1")
    try:
        rename_film(pair, site, "Blei und Knochen")  # received, not replayed
        deadline = time.monotonic() + 30
        while "lags" not in strict.error_log.read_text():
            assert time.monotonic() < deadline, "the lagging replica was never skipped"
            assert "Blei und Knochen" in visit(strict, f"{FILM}?warte={time.monotonic()}")
        status, body = strict.get("/healthz")
        assert status == 200
        assert json.loads(body)["replikate"]["replica_1"]["status"] == "zu weit zurück"
    finally:
        strict.stop()


def test_a_stopped_replica_costs_visitors_nothing(pair, site):
    pair.stop_replica()
    try:
        for query in ("Quecksilber", "Wolfram", "Bismut"):  # each rendered anew
            visit(site, SEARCH + "?" + urlencode({"q": query}))
            visit(site, f"{FILM}?seite={query}")
        status, body = site.get("/healthz")
        assert status == 200
        assert json.loads(body)["replikate"]["replica_1"]["status"].startswith("Fehler:")
    finally:
        pair.start_replica()
    pair.wait_for_replay()
    ran = queries_during(pair, lambda: _until_read_on_replica(pair, site))
    assert "films_film" in ran["replica"]


def test_a_replica_that_stops_after_it_was_asked_costs_visitors_nothing(
    pair, media, static_root, tmp_path
):
    # The replica's replay is trusted for an hour: the pages' own reads find it stopped.
    trusting = serve(pair, media, static_root, tmp_path, DATABASE_REPLICA_CHECK_SECONDS="3600")
    try:
        pair.wait_for_replay()
        ran = queries_during(pair, lambda: visit(trusting, f"{FILM}?seite=1"))
        assert FILM_SLUG in ran["replica"]
        with pair.connect("primary") as primary:
            (title,) = primary.execute(
                "SELECT title FROM films_film WHERE slug = %s", [FILM_SLUG]
            ).fetchone()
        pair.stop_replica()
        try:
            assert title in visit(trusting, f"{FILM}?seite=2")
            assert title in visit(trusting, SEARCH + "?q=Knochen")
            assert title in visit(trusting, f"/api/v1/filme/{FILM_SLUG}/")
            assert "failed a read" in trusting.error_log.read_text()
        finally:
            pair.start_replica()
    finally:
        trusting.stop()
    pair.wait_for_replay()


def _until_read_on_replica(pair: PostgresPair, site: Server) -> None:
    """Visitors' pages until one is read from the replica again (retried after a second)."""
    deadline = time.monotonic() + 30
    number = 0
    while time.monotonic() < deadline:
        number += 1
        before = len(statements(pair, "replica"))
        visit(site, f"{FILM}?versuch={number}")
        if "films_film" in statements(pair, "replica")[before:]:
            return
    raise AssertionError("visitors never read from the replica again")
