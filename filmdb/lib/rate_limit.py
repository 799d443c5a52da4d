"""Requests counted per client in fixed windows of time, in the cache that every worker
and app server shares (Redis in production): a limit then holds across all of them.

A window is the same stretch of the clock for every client (a minute from :00), and its
number is part of the counter's key: a new window starts a new counter with no reset,
and each counter expires a window's length after its first request. At a window's end a
client may send its limit twice in a short while; in exchange a request costs one atomic
increment, in the round trip to Redis that reads the cached page too, and the time until
the window ends is exact.
"""

import functools
import ipaddress
import math
import time
from collections.abc import Sequence
from typing import NamedTuple

from django.core.cache import caches

from filmdb.lib.redis_cache import RedisCache

KEY_PREFIX = "filmdb:rate:"


class Window(NamedTuple):
    count: int  # the client's requests in this window, this one included
    seconds_left: int  # whole seconds until the window ends, at least 1


def count_request(client: str, seconds: int, read: Sequence[str]) -> tuple[Window, dict]:
    """Count a request of `client` in the current window of `seconds`, and read the keys
    `read` (as `cache.get_many` does) in the same round trip. Raises the cache's errors
    (filmdb.lib.page_cache.CACHE_ERRORS) when it does not answer."""
    number, elapsed = divmod(time.time(), seconds)
    key = f"{KEY_PREFIX}{client}:{int(number)}"
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        count, found = cache.count(key, seconds, read)
    else:  # the local-memory cache of a local run: one process, no round trips
        cache.add(key, 0, seconds)
        try:
            count = cache.incr(key)
        except ValueError:  # culled since the add, as full local-memory caches do
            cache.set(key, 1, seconds)
            count = 1
        found = cache.get_many(read)
    return Window(count, max(1, math.ceil(seconds - elapsed))), found


# Parsing an address costs about 3 µs, over 1 % of a cached API answer; clients come again.
@functools.lru_cache(maxsize=4096)
def address_group(address: str | None) -> str:
    """Who a limit per address counts: an IPv4 address, or an IPv6 address's /64 (a
    household or a server is given a whole /64 and may use any address in it). An
    address that is no IP address at all (none, a Unix socket's) counts as one client."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return "unknown"
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped:  # an IPv4 client of a server listening on IPv6
        return str(ip.ipv4_mapped)
    return str(ipaddress.IPv6Network((ip, 64), strict=False))
