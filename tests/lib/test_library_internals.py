"""filmdb/lib subclasses a few classes by their private parts: each test here fails loudly,
naming what to look at, when a library upgrade changes what they rely on.

- RedisCache (filmdb/lib/redis_cache.py): Django's RedisCacheClient `_get_connection_pool`,
  `_client`, and RedisCache's `_class`.
- SitePolicyCSPMiddleware (filmdb/lib/csp.py): django-csp 4's `build_policy`,
  `CheckableLazyObject`, `_csp_nonce_post_response` and the `_csp_*` response attributes.
- LoadedAutocompleteSelect (filmdb/lib/admin.py): the admin's `AutocompleteSelect.optgroups`
  and `create_option`, and `choices.field`.
- LightFilterSet (filmdb/lib/filtersets.py): django-filter's deep copy of `base_filters`
  for each filter set, `Filter.method`'s setter making its FilterMethod, and
  `get_form_class()`.
- PermittedVersionAdmin (filmdb/lib/history.py): django-reversion's `_safe_revert`,
  `_follow_relations_recursive`, `Version._object_version`, and VersionAdmin's
  `_reversion_introspect_inline_admin` and `_reversion_get_template_list`.
- LoginHandler (filmdb/logins.py): django-axes 8's `AxesDatabaseHandler.get_failures`,
  `user_login_failed`, `user_logged_in`, and `axes.attempts.get_cool_off_threshold`.
"""

import inspect

import django_filters
from csp import middleware as csp_middleware
from csp.utils import build_policy
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.models import User
from django.core.cache.backends import redis as django_redis
from django.forms.widgets import ChoiceWidget
from django.http import HttpResponse, QueryDict
from django.test import RequestFactory

from filmdb.lib.admin import LoadedAutocompleteSelect
from filmdb.lib.csp import SitePolicyCSPMiddleware
from filmdb.lib.filtersets import LightFilterSet
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


class ScoreFilter(LightFilterSet):
    """A filter set with a method filter and a plain one, on any model (never queried)."""

    above = django_filters.NumberFilter(method="filter_above")
    name = django_filters.CharFilter(field_name="username")

    class Meta:
        model = User
        fields: list[str] = []

    def filter_above(self, queryset, name, value):
        self.filtered_by = (name, value)
        return queryset


def test_each_light_filter_set_has_filters_of_its_own_calling_it():
    first, second = ScoreFilter(QueryDict("above=3")), ScoreFilter(QueryDict("above=5"))
    assert first.filters["above"] is not second.filters["above"]
    assert first.filters["above"] is not ScoreFilter.base_filters["above"]
    assert first.filters["above"].parent is first and second.filters["above"].parent is second
    first.qs, second.qs  # noqa: B018 (filtering calls each one's method)
    assert first.filtered_by == ("above", 3) and second.filtered_by == ("above", 5)


def test_light_filter_sets_share_one_form_class_and_never_one_form():
    first, second = ScoreFilter(QueryDict("name=a")), ScoreFilter(QueryDict("name=b"))
    assert type(first.form) is type(second.form)
    assert first.form is not second.form
    assert first.form.fields["name"] is not second.form.fields["name"]
    assert first.form.is_valid() and first.form.cleaned_data["name"] == "a"
    assert second.form.is_valid() and second.form.cleaned_data["name"] == "b"


def test_django_reversion_still_has_the_steps_a_restore_of_one_page_reuses():
    from reversion import admin as reversion_admin
    from reversion import models as reversion_models
    from reversion import revisions

    assert parameters(reversion_models._safe_revert) == ["versions"]
    assert parameters(revisions._follow_relations_recursive) == ["obj"]
    assert "_object_version" in vars(reversion_models.Version)
    version_admin = reversion_admin.VersionAdmin
    assert parameters(version_admin._reversion_introspect_inline_admin) == ["self", "inline"]
    assert parameters(version_admin._reversion_get_template_list) == ["self", "template_name"]


def test_django_axes_still_has_the_parts_the_login_handler_extends():
    from axes.attempts import get_cool_off_threshold
    from axes.handlers.database import AxesDatabaseHandler

    assert parameters(get_cool_off_threshold) == ["request"]
    handler = AxesDatabaseHandler
    assert parameters(handler.get_failures) == ["self", "request", "credentials"]
    assert parameters(handler.user_login_failed)[:4] == ["self", "sender", "credentials", "request"]
    assert parameters(handler.user_logged_in)[:4] == ["self", "sender", "request", "user"]
