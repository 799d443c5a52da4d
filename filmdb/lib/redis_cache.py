"""Django's Redis cache backend, keeping one client per connection pool, and skipping a
Redis that fails for a while.

Django's client builds a new `redis.Redis` for every cache call, and each one sets up
its table of ~170 response callbacks: about a third of a millisecond on a cached page
that needs only one round trip. A `redis.Redis` is safe to share between threads (its
pool hands each call a connection), so one per pool is kept.

A Redis that does not answer costs every call its timeout (the settings' `OPTIONS`
bound it). After a failed call the backend therefore does not ask Redis again for
`SKIP_SECONDS`: calls fail at once instead, and the page cache renders pages without it.
The outage is logged once per process when it begins and once when Redis answers
again, not on every request.

`RedisCache.count` counts, and reads what a page needs, in one round trip, for the
API's rate limit.
"""

import logging
import time
from collections.abc import Sequence

import redis
from django.core.cache.backends import redis as django_redis

logger = logging.getLogger(__name__)

# How long a process leaves a failing Redis alone before it asks again.
SKIP_SECONDS = 10.0


class Outage:
    """Whether a Redis failed lately; one per Redis location in a process."""

    def __init__(self) -> None:
        self.failing = False
        self.retry_at = 0.0

    def check(self) -> None:
        if self.failing and time.monotonic() < self.retry_at:
            raise redis.ConnectionError("Redis failed moments ago; it is asked again shortly.")

    def begin(self, error: redis.RedisError) -> None:
        if not self.failing:
            logger.warning(
                "Redis fails (%s: %s); pages are rendered without the cache, and Redis is "
                "asked again every %g seconds.",
                error.__class__.__name__,
                error,
                SKIP_SECONDS,
            )
        self.failing = True
        self.retry_at = time.monotonic() + SKIP_SECONDS

    def end(self) -> None:
        if self.failing:
            self.failing = False
            logger.warning("Redis answers again; the cache is in use.")


_outages: dict[tuple[str, ...], Outage] = {}


class SkippingRedis(redis.Redis):
    """A `redis.Redis` that fails at once while its backend's Redis is out."""

    def __init__(self, *args, outage: Outage, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.outage = outage

    def execute_command(self, *args, **options):
        return self._watched(super().execute_command, *args, **options)

    def count(self, key: str, timeout: int, read: Sequence[str]) -> tuple[int, list]:
        # The counter is made with its timeout, and an increment keeps it: no counter is
        # ever left without one.
        commands = [("SET", key, 0, "EX", timeout, "NX"), ("INCR", key)]
        if read:
            commands.append(("MGET", *read))
        replies = self._watched(self._in_one_round_trip, commands)
        return replies[1], replies[2] if read else []

    def _in_one_round_trip(self, commands: list[tuple]) -> list:
        """The replies to `commands`, sent together on one connection and read in order.
        A redis-py pipeline does the same with more work of its own; a Lua script doing it
        in Redis cost a cached API answer a seventh of its requests/s over HTTP
        (docs/benchmarks.md)."""
        pool = self.connection_pool
        connection = pool.get_connection()
        try:
            connection.send_packed_command(connection.pack_commands(commands))
            return [connection.read_response() for _ in commands]
        except BaseException:
            connection.disconnect()  # replies may be left unread on it
            raise
        finally:
            pool.release(connection)

    def _watched(self, call, *args, **kwargs):
        self.outage.check()
        try:
            result = call(*args, **kwargs)
        except redis.RedisError as error:
            self.outage.begin(error)
            raise
        self.outage.end()
        return result


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients = {}
        # Django keeps a backend per thread: the threads of a process share what they
        # learn about a Redis, and log its outage once.
        self._outage = _outages.setdefault(tuple(self._servers), Outage())

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = SkippingRedis(
                connection_pool=pool, outage=self._outage
            )
        return client

    def count(self, key: str, timeout: int, read: Sequence[str]) -> tuple[int, dict]:
        count, values = self.get_client(key, write=True).count(key, timeout, read)
        found = {
            key: self._serializer.loads(value)
            for key, value in zip(read, values, strict=True)
            if value is not None
        }
        return count, found


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient

    def count(self, key: str, timeout: int, read: Sequence[str]) -> tuple[int, dict]:
        """Add one to the counter `key` (made at 0 when missing, kept for `timeout` seconds
        from then) and answer its new value, with what `get_many(read)` would answer, in
        one round trip: Django's `add` and `incr` alone take three (its `incr` asks
        whether the key exists first). The value stays an integer that the cache's `get`
        and `incr` read as well.

        The keys are not checked for what memcached would refuse, as `get_many` checks
        them (character by character, on every request): they are the site's own, of a
        known form and length."""
        made = {self.make_key(name): name for name in read}
        count, found = self._cache.count(self.make_key(key), timeout, list(made))
        return count, {made[name]: value for name, value in found.items()}
