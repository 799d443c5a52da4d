import os
import re
import uuid

import psycopg
import pytest
import redis
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from psycopg import sql

from filmdb.demo import demo_load
from filmdb.lib import redis_cache
from filmdb.lib.redis_cache import RedisCacheClient
from films.models import Film
from people.models import Person
from tests.lib.fake_servers import SilentServer, refusing_port
from tests.migrations import migrate_to, migrate_to_newest

LOST_GROUP = pytest.StashKey[str]()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under `--dist loadgroup` each worker names a test's group in its id (`…@browser`),
    which is how the group reaches one worker. pytest 9.2 ignores that renaming
    (pytest-dev/pytest-xdist#1386), and the groups would be spread silently."""
    if not getattr(config.option, "loadgroup", False):
        return
    for item in items:
        if item.get_closest_marker("xdist_group") and "@" not in item.nodeid:
            config.stash[LOST_GROUP] = item.nodeid
            return


@pytest.fixture(autouse=True, scope="session")
def _xdist_groups_kept(request):
    lost = request.config.stash.get(LOST_GROUP, None)
    if lost:
        pytest.fail(
            f"pytest-xdist could not keep {lost} in its group: this pytest is too new for "
            "`--dist loadgroup` (pytest-dev/pytest-xdist#1386, pyproject.toml)"
        )


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix) -> None:
    """On PostgreSQL each test process makes a database named after itself
    (`test_filmdb_gw0_<pid>`): two runs at once on one server with the same
    DATABASE_URL (CI's and a developer's) never share one. A killed run's database is
    dropped by the next run on the server, once its process is gone."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        return
    test = database.setdefault("TEST", {})
    name = test.get("NAME") or f"test_{database['NAME']}"
    test["NAME"] = f"{name}_{os.getpid()}"
    _drop_databases_of_ended_runs(database, prefix=f"test_{database['NAME']}")


def _drop_databases_of_ended_runs(database: dict, prefix: str) -> None:
    own = re.compile(rf"{re.escape(prefix)}(_gw[0-9]+)?_([0-9]+)")
    with psycopg.connect(
        dbname="postgres",
        host=database["HOST"] or None,
        port=database["PORT"] or None,
        user=database["USER"] or None,
        password=database["PASSWORD"] or None,
        autocommit=True,
    ) as server:
        names = [name for (name,) in server.execute("SELECT datname FROM pg_database")]
        for name in names:
            match = own.fullmatch(name)
            if match and not _running(int(match.group(2))):
                server.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@pytest.fixture(autouse=True, scope="session")
def _postgresql_when_required(django_db_setup, django_db_blocker):
    """CI's PostgreSQL pass must really run on PostgreSQL, never fall back silently."""
    if os.environ.get("REQUIRE_POSTGRESQL"):
        with django_db_blocker.unblock():
            assert connection.vendor == "postgresql", "REQUIRE_POSTGRESQL is set, but not in use"


# The tests' Redis database, shared with any other run on the machine: each run keeps
# its keys under a prefix of its own and empties only those (empty_cache). Under
# pytest-xdist each worker is a process of its own and so a run of its own: its prefix
# names it (gw0, gw1, ...), and it never empties another worker's pages mid-test.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
TEST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
TEST_CACHE_KEY_PREFIX = f"filmdb-test-{uuid.uuid4().hex}-{TEST_WORKER}"


@pytest.fixture(autouse=True, scope="session")
def _redis_cache():
    """Pages are cached in Redis, as in production, wherever a Redis server answers.

    Without one the tests use the local-memory cache, unless REQUIRE_REDIS is set (CI).
    """
    try:
        redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        assert not os.environ.get("REQUIRE_REDIS"), (
            f"REQUIRE_REDIS is set, but {TEST_REDIS_URL} does not answer"
        )
        yield
        return
    backend = {
        "BACKEND": "filmdb.lib.redis_cache.RedisCache",
        "LOCATION": TEST_REDIS_URL,
        "KEY_PREFIX": TEST_CACHE_KEY_PREFIX,
    }
    with override_settings(CACHES={"default": backend}):
        yield
        empty_cache()


def empty_cache() -> None:
    """Empty this run's cache: in Redis only the keys under its prefix (`cache.clear()`
    would empty the database of every run beside it)."""
    if not isinstance(cache._cache, RedisCacheClient):
        cache.clear()
        return
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{TEST_CACHE_KEY_PREFIX}:*", count=1000))
    if keys:
        client.delete(*keys)


# The fake Redis servers' timeouts: short, as a test waits for them.
FAKE_REDIS_TIMEOUT = 0.5


def _redis_at(port: int) -> dict:
    options = {"socket_connect_timeout": FAKE_REDIS_TIMEOUT, "socket_timeout": FAKE_REDIS_TIMEOUT}
    location = f"redis://127.0.0.1:{port}/0"
    return {
        "default": {
            "BACKEND": "filmdb.lib.redis_cache.RedisCache",
            "LOCATION": location,
            "OPTIONS": options,
        }
    }


@pytest.fixture
def hung_redis(settings, monkeypatch):
    """The cache is a Redis that accepts connections and never answers. As in a fresh
    process, no outage of an earlier test's port (the OS may hand it out again) is known."""
    monkeypatch.setattr(redis_cache, "_outages", {})
    with SilentServer() as server:
        settings.CACHES = _redis_at(server.port)
        yield server


@pytest.fixture
def stopped_redis(settings, monkeypatch):
    """The cache is a Redis that refuses every connection, as a stopped one does."""
    monkeypatch.setattr(redis_cache, "_outages", {})
    with refusing_port() as port:
        settings.CACHES = _redis_at(port)
        yield


@pytest.fixture(autouse=True, scope="session")
def _no_api_rate_limit():
    """Every request of the suite comes from 127.0.0.1, and some tests send the API more
    than its limit a minute allows: the limit is off but where a test turns it on
    (tests/api/test_rate_limit.py). Servers the tests start read their own settings."""
    with override_settings(API_RATE_LIMIT=0):
        yield


@pytest.fixture(autouse=True, scope="session")
def _quick_password_hashing():
    with override_settings(PASSWORD_HASHERS=["tests.hashers.FewRoundsPBKDF2PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _empty_cache(_redis_cache):
    empty_cache()


@pytest.fixture
def clock(time_machine):
    """The site's clock, stopped at noon today (Berlin time) until the test moves it on
    (`clock.shift(timedelta)`): the pages and their queries read this one clock, so
    moving it moves what visitors see, with no sleeping. Noon: moving on a few minutes
    never reaches another day or cinema week."""
    time_machine.move_to(
        timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0), tick=False
    )
    return time_machine


@pytest.fixture
def migrations():
    """`migrate_to` for a test of a data migration, and every app back at its newest
    migration after it (a later migration of the app would else stay unapplied)."""
    yield migrate_to
    migrate_to_newest()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def make_user(username: str, group: str | None = None, **fields):
    user = get_user_model().objects.create_user(
        username=username, password="geheim-und-lang-genug", is_staff=True, **fields
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(db):
    return make_user("redakteurin", "Redaktion", first_name="Rita", last_name="Redakteurin")


@pytest.fixture
def critic(db):
    return make_user("kritiker", "Kritik", first_name="Karl", last_name="Kritiker")


@pytest.fixture
def other_critic(db):
    return make_user("kollegin", "Kritik", first_name="Klara", last_name="Kollegin")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def critic_client(client, critic):
    client.force_login(critic)
    return client


@pytest.fixture
def demo_film(db) -> Film:
    return demo_load()


@pytest.fixture
def make_film(db):
    def make(title: str = "Ein Film", year: int = 2020, **fields) -> Film:
        return Film.objects.create(title=title, year=year, **fields)

    return make


@pytest.fixture
def make_person(db):
    def make(name: str, **fields) -> Person:
        return Person.objects.create(name=name, **fields)

    return make
