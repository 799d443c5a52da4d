"""filmdb/lib subclasses a few classes by their private parts: each test here fails loudly,
naming what to look at, when a library upgrade changes what they rely on.

- RedisCache (filmdb/lib/redis_cache.py): Django's RedisCacheClient `_get_connection_pool`,
  `_client`, and RedisCache's `_class`.
- SitePolicyCSPMiddleware (filmdb/lib/csp.py): django-csp 4's `build_policy`,
  `CheckableLazyObject`, `_csp_nonce_post_response` and the `_csp_*` response attributes.
- LoadedAutocompleteSelect (filmdb/lib/admin.py): the admin's `AutocompleteSelect.optgroups`
  and `create_option`, and `choices.field`.
"""

import inspect

from csp import middleware as csp_middleware
from csp.utils import build_policy
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.cache.backends import redis as django_redis
from django.forms.widgets import ChoiceWidget
from django.http import HttpResponse
from django.test import RequestFactory

from filmdb.lib.admin import LoadedAutocompleteSelect
from filmdb.lib.csp import SitePolicyCSPMiddleware
from filmdb.lib.redis_cache import RedisCache, RedisCacheClient


def parameters(function) -> list[str]:
    return list(inspect.signature(function).parameters)


def test_djangos_redis_client_still_has_the_parts_our_client_reuses():
    assert parameters(django_redis.RedisCacheClient._get_connection_pool) == ["self", "write"]
    client = django_redis.RedisCacheClient(["redis://127.0.0.1:6379/15"])
    assert client._client is client._lib.Redis
    assert parameters(django_redis.RedisCacheClient.get_client) == ["self", "key", "write"]


def test_our_redis_client_is_the_one_the_backend_builds_and_keeps_one_client_per_pool():
    cache = RedisCache("redis://127.0.0.1:6379/15", {})
    assert isinstance(cache._cache, RedisCacheClient)  # RedisCache._class is still used
    assert cache._cache.get_client() is cache._cache.get_client(write=True)


def test_django_csp_still_has_the_parts_our_middleware_reuses():
    assert parameters(build_policy)[:1] == ["config"]
    assert hasattr(csp_middleware, "CheckableLazyObject")
    assert hasattr(csp_middleware.CSPMiddleware, "_csp_nonce_post_response")
    assert parameters(csp_middleware.CSPMiddleware.process_response) == [
        "self",
        "request",
        "response",
    ]


def csp_header(middleware_class) -> str:
    middleware = middleware_class(lambda request: HttpResponse())
    request = RequestFactory().get("/")
    middleware.process_request(request)
    return middleware.process_response(request, HttpResponse())["Content-Security-Policy"]


def test_our_csp_header_is_the_one_django_csp_writes():
    assert "script-src 'self'" in csp_header(SitePolicyCSPMiddleware)
    assert csp_header(SitePolicyCSPMiddleware) == csp_header(csp_middleware.CSPMiddleware)


def test_the_admins_autocomplete_still_has_the_parts_our_widget_overrides():
    assert parameters(AutocompleteSelect.optgroups) == ["self", "name", "value", "attr"]
    assert parameters(ChoiceWidget.create_option) == [
        "self",
        "name",
        "value",
        "label",
        "selected",
        "index",
        "subindex",
        "attrs",
    ]
    assert LoadedAutocompleteSelect.optgroups is not AutocompleteSelect.optgroups
