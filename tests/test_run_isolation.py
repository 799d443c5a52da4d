"""Two test runs at once on one machine share the Redis database: each keeps to its own
keys, and emptying the cache before a test leaves the other run's alone."""

import pytest
import redis
from django.core.cache import cache

from filmdb.lib.redis_cache import RedisCacheClient
from tests.conftest import TEST_CACHE_KEY_PREFIX, TEST_REDIS_URL, empty_cache


@pytest.fixture
def other_run():
    if not isinstance(cache._cache, RedisCacheClient):
        pytest.skip("needs Redis")
    client = redis.Redis.from_url(TEST_REDIS_URL)
    key = "filmdb-test-another-run:1:filmdb:page:0123"
    client.set(key, b"page of another run", ex=60)
    yield client, key
    client.delete(key)


def test_emptying_the_cache_keeps_another_runs_keys(other_run):
    client, key = other_run
    cache.set("own", "page of this run")
    assert client.keys(f"{TEST_CACHE_KEY_PREFIX}:*")  # this run's keys carry its prefix
    empty_cache()
    assert cache.get("own") is None
    assert client.get(key) == b"page of another run"
