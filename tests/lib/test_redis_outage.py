"""A Redis that hangs or is stopped slows pages down for a moment; it never breaks them."""

import logging
import time

import pytest
import redis
from django.test import Client

from filmdb.lib import redis_cache
from filmdb.lib.redis_cache import RedisCache
from tests.conftest import FAKE_REDIS_TIMEOUT as TIMEOUT


def outage_warnings(caplog) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "filmdb.lib.redis_cache" and record.levelno == logging.WARNING
    ]


def test_pages_render_while_redis_hangs_and_it_is_asked_once(demo_film, hung_redis, caplog):
    visitor = Client()
    started = time.monotonic()
    for _ in range(3):
        response = visitor.get(demo_film.get_absolute_url())
        assert response.status_code == 200
        assert "Der Geschmack von Rost und Knochen" in response.content.decode()
    assert time.monotonic() - started < 5, "a hung Redis held the pages"
    # The first page waited for Redis; the next ones did not ask it again.
    assert len(hung_redis.connections) == 1
    [warning] = outage_warnings(caplog)
    assert "rendered without the cache" in warning


def test_healthz_names_a_hung_cache_within_seconds(db, hung_redis):
    started = time.monotonic()
    response = Client().get("/healthz")
    assert time.monotonic() - started < 5
    assert response.status_code == 503
    assert response.json()["datenbank"] == "ok"
    assert response.json()["cache"].startswith("Fehler")


def test_a_stopped_redis_makes_pages_render_without_it(demo_film, stopped_redis, caplog):
    response = Client().get(demo_film.get_absolute_url())
    assert response.status_code == 200
    assert "Der Geschmack von Rost und Knochen" in response.content.decode()
    health = Client().get("/healthz")
    assert health.status_code == 503
    assert health.json()["cache"] == "Fehler: ConnectionError"
    assert len(outage_warnings(caplog)) == 1


def test_redis_is_asked_again_after_a_while(db, hung_redis, monkeypatch):
    monkeypatch.setattr(redis_cache, "SKIP_SECONDS", 0)
    visitor = Client()
    visitor.get("/robots.txt")
    visitor.get("/robots.txt")
    assert len(hung_redis.connections) == 2


def test_every_thread_of_a_process_learns_of_the_outage_from_the_first(hung_redis, settings):
    # Django keeps a cache backend per thread; two backends stand for two threads.
    location = settings.CACHES["default"]["LOCATION"]
    options = settings.CACHES["default"]["OPTIONS"]
    first, second = (RedisCache(location, {"OPTIONS": options}) for _ in range(2))
    with pytest.raises(redis.RedisError):
        first.get("filmdb:probe")
    started = time.monotonic()
    with pytest.raises(redis.RedisError):
        second.get("filmdb:probe")
    assert time.monotonic() - started < TIMEOUT / 2, "the second thread waited for Redis too"
    assert len(hung_redis.connections) == 1
