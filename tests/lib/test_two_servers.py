"""Two app servers, one PostgreSQL and one Redis: an edit through one is seen through the
other, and the API's limit per address counts the requests to both.

Starts two gunicorn servers on loopback with the production settings, against the test
database (committed data) and the tests' Redis database.
"""

import http.cookiejar
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import TEST_CACHE_KEY_PREFIX, TEST_REDIS_URL, make_user
from tests.html_forms import form_fields

# Committed data the servers can read; the groups of the data migration come back afterwards.
pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "geheim-und-lang-genug"
API_RATE_LIMIT = 5


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def servers(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "two-servers-test-secret-key-0123456789-abcdefghijklmnop",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "DATABASE_URL": database_url(),
        "REDIS_URL": TEST_REDIS_URL,
        "DJANGO_CACHE_KEY_PREFIX": TEST_CACHE_KEY_PREFIX,
        "DJANGO_API_RATE_LIMIT": str(API_RATE_LIMIT),
    }
    base = Path(settings.BASE_DIR)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity=0"],
        cwd=base,
        env=env,
        check=True,
    )
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    processes, urls = [], []
    for _ in range(2):
        port = free_port()
        processes.append(
            subprocess.Popen(
                [
                    gunicorn,
                    "filmdb.wsgi",
                    f"--bind=127.0.0.1:{port}",
                    "--workers=2",
                    # gunicorn's control socket has one path per user: two runs would share it.
                    "--no-control-socket",
                ],
                cwd=base,
                env=env,
                stderr=subprocess.DEVNULL,
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url in urls:
            wait_until_up(url)
        yield urls
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)


def wait_until_up(url: str) -> None:
    for _ in range(150):
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not come up")


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.read().decode()


def test_a_rename_through_one_server_shows_through_the_other_at_once(servers, demo_film):
    server_a, server_b = servers
    make_user("redakteurin", "Redaktion")
    film_path = demo_film.get_absolute_url()
    for server in servers:  # both cache the page, each in its own worker
        for _ in range(3):
            assert "Marion Cotillard" in get(server + film_path)

    editor = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    login_page = editor.open(f"{server_a}/admin/login/").read().decode()
    login = {
        **form_fields(login_page, "login-form"),
        "username": "redakteurin",
        "password": PASSWORD,
    }
    editor.open(f"{server_a}/admin/login/", urllib.parse.urlencode(login).encode())

    cotillard = demo_film.credits.get(person__name="Marion Cotillard").person
    change_url = f"{server_a}/admin/people/person/{cotillard.pk}/change/"
    change_page = editor.open(change_url).read().decode()
    data = {**form_fields(change_page, "person_form"), "name": "Marion Cotillard-Canet"}
    saved = editor.open(change_url, urllib.parse.urlencode(data).encode())
    assert "wurde erfolgreich geändert" in saved.read().decode()

    for _ in range(3):  # whichever worker answers
        assert "Marion Cotillard-Canet" in get(server_b + film_path)
        assert "Marion Cotillard-Canet" in get(server_a + film_path)


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_apis_limit_per_address_counts_the_requests_to_both_servers(servers):
    # The limit counts per minute: a test begun in a minute's last seconds would be
    # split between two.
    if time.time() % 60 > 55:
        time.sleep(60 - time.time() % 60)
    schema = "/api/v1/openapi.json"
    statuses = [status(servers[number % 2] + schema) for number in range(API_RATE_LIMIT + 1)]
    assert statuses == [200] * API_RATE_LIMIT + [429]
    assert status(servers[0] + schema) == status(servers[1] + schema) == 429
