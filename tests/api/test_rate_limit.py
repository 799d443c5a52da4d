"""The API's limit per address (API_RATE_LIMIT), as a client meets it: a 429 problem with
Retry-After once an address has sent its limit in a minute, whatever the endpoint, cached
answers and 304s included; served again when the next minute begins. The clock stands
at noon (the `clock` fixture), the start of a minute, until a test moves it."""

import logging
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from django.core.cache import cache
from django.test import Client

from filmdb.api import rate_limit
from filmdb.demo import FILM_SLUG
from filmdb.lib.rate_limit import KEY_PREFIX
from filmdb.lib.redis_cache import RedisCacheClient
from tests.conftest import FAKE_REDIS_TIMEOUT

DETAIL = f"/api/v1/filme/{FILM_SLUG}/"
GENRES = "/api/v1/genres/"


@pytest.fixture
def limit(settings, clock):
    """Three requests a minute per address. First among a test's fixtures: the clock goes
    back to noon before the demo film is published."""
    settings.API_RATE_LIMIT = 3
    return clock


def statuses(api_get, path: str, times: int, **extra) -> list[int]:
    return [api_get(path, **extra).status_code for _ in range(times)]


def detail(response) -> str:
    return response.json()["detail"]


def test_the_fourth_request_in_a_minute_is_refused_with_a_problem_and_retry_after(
    limit, demo_film, api_get
):
    assert statuses(api_get, DETAIL, 3) == [200, 200, 200]
    refused = api_get(DETAIL)  # documented in the schema, as api_get checks
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert refused["Retry-After"] == "60"
    assert refused.json()["title"] == "Zu viele Anfragen"
    assert detail(refused) == (
        "Höchstens 3 Anfragen in der Minute von einer Adresse. Versuch es in 60 Sekunden wieder."
    )
    # A page of another origin may read the answer and when to try again.
    assert refused["Access-Control-Allow-Origin"] == "*"
    assert refused["Access-Control-Expose-Headers"] == "Retry-After"


def test_cached_answers_and_304s_count_too(limit, demo_film, api_get):
    first = api_get(DETAIL)
    assert first.status_code == 200
    again = api_get(DETAIL, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert api_get(DETAIL).status_code == 200  # from the page cache
    assert api_get(DETAIL, headers={"If-None-Match": first["ETag"]}).status_code == 429
    assert api_get(DETAIL).status_code == 429


def test_every_endpoint_the_schema_and_its_docs_page_share_one_count(
    limit, demo_film, api_get, client
):
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/api/v1/docs").status_code == 200
    assert api_get(GENRES).status_code == 200
    assert api_get("/api/v1/filme/", {"darsteller": "cotillard"}).status_code == 429
    assert api_get("/api/v1/filme/gibtsnicht/").status_code == 429
    assert client.get("/api/v1/openapi.json").status_code == 429
    assert client.get("/api/v1/gibt/es/nicht").status_code == 429


def test_the_pages_are_not_limited_nor_counted(limit, demo_film, client, api_get):
    for _ in range(5):
        assert client.get(demo_film.get_absolute_url()).status_code == 200
    assert client.get("/filme/", {"darsteller": "cotillard"}).status_code == 200
    assert statuses(api_get, DETAIL, 4) == [200, 200, 200, 429]


def test_another_address_is_served_while_one_is_refused(limit, demo_film, api_get):
    assert statuses(api_get, DETAIL, 4) == [200, 200, 200, 429]
    assert api_get(DETAIL, REMOTE_ADDR="192.0.2.7").status_code == 200
    assert api_get(DETAIL).status_code == 429


def test_the_next_minute_serves_the_address_again_and_retry_after_counts_down(
    limit, demo_film, api_get
):
    assert statuses(api_get, DETAIL, 4) == [200, 200, 200, 429]
    limit.shift(45)
    refused = api_get(DETAIL)
    assert refused["Retry-After"] == "15"
    assert detail(refused).endswith("Versuch es in 15 Sekunden wieder.")
    limit.shift(14.5)
    refused = api_get(DETAIL)
    assert refused["Retry-After"] == "1"  # never 0, which would ask for a retry at once
    assert detail(refused).endswith("Versuch es in einer Sekunde wieder.")
    limit.shift(0.5)
    assert statuses(api_get, DETAIL, 4) == [200, 200, 200, 429]


def test_the_limit_is_a_setting_and_0_turns_it_off(limit, demo_film, api_get, settings):
    settings.API_RATE_LIMIT = 5
    assert statuses(api_get, DETAIL, 6) == [200] * 5 + [429]
    assert detail(api_get(DETAIL)).startswith("Höchstens 5 Anfragen in der Minute")
    settings.API_RATE_LIMIT = 0
    assert statuses(api_get, DETAIL, 10) == [200] * 10


def test_the_addresses_of_one_ipv6_64_count_as_one_client(limit, demo_film, api_get):
    household = ["2001:db8:1:2::1", "2001:db8:1:2::abcd", "2001:db8:1:2:ffff:ffff:ffff:9"]
    for address in household:
        assert api_get(DETAIL, REMOTE_ADDR=address).status_code == 200
    assert api_get(DETAIL, REMOTE_ADDR="2001:db8:1:2:4::5").status_code == 429
    assert api_get(DETAIL, REMOTE_ADDR="2001:db8:1:3::1").status_code == 200


def test_an_ipv4_client_of_an_ipv6_socket_counts_as_its_ipv4_address(limit, demo_film, api_get):
    assert statuses(api_get, DETAIL, 2, REMOTE_ADDR="192.0.2.1") == [200, 200]
    assert api_get(DETAIL, REMOTE_ADDR="::ffff:192.0.2.1").status_code == 200
    assert api_get(DETAIL, REMOTE_ADDR="192.0.2.1").status_code == 429


def test_behind_a_proxy_the_address_it_names_is_counted_not_what_the_client_writes(
    limit, demo_film, api_get, settings
):
    settings.PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    client = {"X-Forwarded-For": "203.0.113.5"}
    assert statuses(api_get, DETAIL, 3, headers=client, **proxy) == [200, 200, 200]
    # What the client writes into the header itself stays to the left of the proxy's entry.
    forged = {"X-Forwarded-For": "198.51.100.1, 203.0.113.5"}
    assert api_get(DETAIL, headers=forged, **proxy).status_code == 429
    other = {"X-Forwarded-For": "198.51.100.7"}
    assert api_get(DETAIL, headers=other, **proxy).status_code == 200


def test_two_workers_share_one_count(limit, db):
    # Each thread has a cache connection of its own, as each worker process has.
    schema = "/api/v1/openapi.json"
    first, second = Client(), Client()
    assert [first.get(schema).status_code for _ in range(2)] == [200, 200]
    with ThreadPoolExecutor(max_workers=1) as other_worker:
        assert other_worker.submit(second.get, schema).result().status_code == 200
        assert other_worker.submit(second.get, schema).result().status_code == 429
    assert first.get(schema).status_code == 429


def limit_warnings(caplog) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "filmdb.api.rate_limit" and record.levelno == logging.WARNING
    ]


@pytest.fixture
def no_warning_yet(monkeypatch):
    """As in a fresh process: no earlier test's warning holds this test's back."""
    monkeypatch.setattr(rate_limit, "_last_warning", None)


def test_while_redis_is_stopped_the_api_answers_unlimited_and_says_so_once(
    limit, demo_film, api_get, stopped_redis, no_warning_yet, caplog
):
    assert statuses(api_get, DETAIL, 5) == [200] * 5
    [warning] = limit_warnings(caplog)
    assert "rate limit is not kept" in warning


def test_a_hung_redis_holds_the_api_no_longer_than_its_timeout(
    limit, demo_film, hung_redis, no_warning_yet, caplog
):
    visitor = Client()
    started = time.monotonic()
    assert [visitor.get(DETAIL).status_code for _ in range(5)] == [200] * 5
    # The first request waited for Redis once; the others did not ask it again.
    assert time.monotonic() - started < 10 * FAKE_REDIS_TIMEOUT
    assert len(hung_redis.connections) == 1
    assert len(limit_warnings(caplog)) == 1


def test_the_schema_documents_the_429_for_every_operation(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    operations = [operation for path in paths.values() for operation in path.values()]
    assert operations
    for operation in operations:
        refused = operation["responses"]["429"]
        assert "Retry-After" in refused["headers"]
        assert refused["content"]["application/problem+json"]["schema"] == {
            "$ref": "#/components/schemas/Problem"
        }


def test_a_cached_answer_costs_one_round_trip_to_redis_as_a_cached_page_does(
    limit, demo_film, client, monkeypatch
):
    if not isinstance(cache._cache, RedisCacheClient):
        pytest.skip("needs Redis")
    # The limit reads what the page cache needs in the round trip that counts.
    for path in (DETAIL, demo_film.get_absolute_url()):
        assert client.get(path).status_code == 200  # cached now
    sent = []
    send = redis.connection.AbstractConnection.send_packed_command

    def counted_send(connection, command, *args, **kwargs):
        sent.append(command)
        return send(connection, command, *args, **kwargs)

    monkeypatch.setattr(redis.connection.AbstractConnection, "send_packed_command", counted_send)
    for path in (DETAIL, demo_film.get_absolute_url()):
        sent.clear()
        assert client.get(path).status_code == 200
        assert len(sent) == 1, path


def test_redis_drops_each_minutes_count_when_the_minute_is_over(limit, demo_film, api_get):
    if not isinstance(cache._cache, RedisCacheClient):
        pytest.skip("needs Redis")
    assert statuses(api_get, DETAIL, 2) == [200, 200]
    redis_client = cache._cache.get_client(write=True)
    [counter] = redis_client.keys(cache.make_key(f"{KEY_PREFIX}*"))
    assert int(redis_client.get(counter)) == 2
    # Kept for a minute from the minute's first request: past the minute's end, never for good.
    assert 55 <= redis_client.ttl(counter) <= 60


def test_after_redis_closed_the_connection_the_count_goes_on_with_no_outage(
    limit, demo_film, api_get, caplog
):
    if not isinstance(cache._cache, RedisCacheClient):
        pytest.skip("needs Redis")
    assert api_get(DETAIL).status_code == 200
    # As after a restart of Redis: the connection the cache uses next was closed by Redis.
    redis_client = cache._cache.get_client(write=True)
    assert redis_client.client_kill_filter(_id=redis_client.client_id(), skipme=False) == 1
    assert statuses(api_get, DETAIL, 3) == [200, 200, 429]
    assert "Redis fails" not in caplog.text
