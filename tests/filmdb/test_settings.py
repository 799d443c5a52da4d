"""Settings come from environment variables; unsafe production settings refuse to start."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

BASE_DIR = settings.BASE_DIR
SECRET = "x7Hq2-long-random-production-secret-key-with-enough-entropy-93kd"
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": SECRET,
    "DJANGO_ALLOWED_HOSTS": "filme.example.de",
    "REDIS_URL": "redis://cache.internal:6379/0",
}


def run(code: str, **env) -> subprocess.CompletedProcess:
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "DATABASE_REPLICA", "REDIS_URL"))
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "filmdb.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def read_settings(*names: str, **env) -> dict:
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    )
    result = run(code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def manage(*args: str, **env) -> subprocess.CompletedProcess:
    return run(
        f"import sys, runpy; sys.argv = ['manage.py', *{list(args)!r}]; "
        "runpy.run_path('manage.py', run_name='__main__')",
        **env,
    )


def test_local_defaults_need_no_server():
    values = read_settings("DEBUG", "DATABASES", "CACHES", "LANGUAGE_CODE", "TIME_ZONE")
    assert values["DEBUG"] is True
    assert values["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert values["DATABASES"]["default"]["NAME"].endswith("db.sqlite3")
    assert values["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    assert (values["LANGUAGE_CODE"], values["TIME_ZONE"]) == ("de", "Europe/Berlin")


def test_database_and_cache_come_from_their_urls():
    values = read_settings(
        "DATABASES",
        "CACHES",
        DATABASE_URL="postgres://filmdb:geheim@db.internal:5433/filme",
        REDIS_URL="redis://cache.internal:6379/2",
    )
    database = values["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"], database["NAME"]) == ("db.internal", 5433, "filme")
    assert database["CONN_HEALTH_CHECKS"] is True
    cache = values["CACHES"]["default"]
    assert cache["BACKEND"] == "filmdb.lib.redis_cache.RedisCache"
    assert cache["LOCATION"] == "redis://cache.internal:6379/2"


def test_production_settings_are_hardened_by_default():
    values = read_settings(
        "DEBUG",
        "ALLOWED_HOSTS",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        **PRODUCTION,
    )
    assert values == {
        "DEBUG": False,
        "ALLOWED_HOSTS": ["filme.example.de"],
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
    }


def test_production_passes_the_deploy_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout


def test_the_deploy_check_asks_for_a_shared_cache_without_redis():
    without_redis = {key: value for key, value in PRODUCTION.items() if key != "REDIS_URL"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", **without_redis)
    assert result.returncode != 0
    assert "filmdb.W001" in result.stderr and "REDIS_URL" in result.stderr


def test_env_switches_turn_https_off_for_a_plain_http_local_run():
    values = read_settings(
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_SECURE",
        **PRODUCTION,
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_HSTS_SECONDS="0",
        DJANGO_SECURE_COOKIES="0",
    )
    assert values == {
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 0,
        "SESSION_COOKIE_SECURE": False,
    }


def test_without_a_secret_key_debug_off_refuses_to_start():
    env = {"DJANGO_DEBUG": "0", "DJANGO_ALLOWED_HOSTS": "filme.example.de"}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
    wsgi = run("import filmdb.wsgi", **env)
    assert wsgi.returncode != 0
    assert "DJANGO_SECRET_KEY" in wsgi.stderr


def test_a_malformed_switch_is_named_in_the_error():
    result = run("import django; django.setup()", DJANGO_DEBUG="vielleicht")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be 0 or 1" in result.stderr


def test_a_film_with_many_credits_fits_in_one_post():
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS >= 5_000


def test_postgresql_prepares_repeated_queries_unless_turned_off():
    url = "postgres://filmdb@db.internal:5432/filmdb"
    on = read_settings("DATABASES", DATABASE_URL=url)["DATABASES"]["default"]
    assert on["OPTIONS"]["server_side_binding"] is True
    assert on["OPTIONS"]["prepare_threshold"] == 5
    off = read_settings("DATABASES", DATABASE_URL=url, DJANGO_DB_PREPARED_STATEMENTS="0")
    assert "server_side_binding" not in off["DATABASES"]["default"]["OPTIONS"]
    assert "prepare_threshold" not in off["DATABASES"]["default"]["OPTIONS"]
    sqlite = read_settings("DATABASES")["DATABASES"]["default"]
    assert not sqlite.get("OPTIONS")


def test_each_replica_url_becomes_a_database_that_visitors_read_from():
    url = "postgres://filmdb@db.internal:5432/filmdb"
    replicas = "postgres://filmdb@replica-a:5432/filmdb, postgres://filmdb@replica-b/filmdb"
    names = ("DATABASES", "DATABASE_REPLICAS", "DATABASE_ROUTERS", "MIDDLEWARE")
    values = read_settings(*names, DATABASE_URL=url, DATABASE_REPLICA_URLS=replicas)
    assert values["DATABASE_REPLICAS"] == ["replica_1", "replica_2"]
    replica = values["DATABASES"]["replica_2"]
    assert (replica["HOST"], replica["TEST"]) == ("replica-b", {"MIRROR": "default"})
    # The primary's prepared statements, and a short wait for a replica that is down.
    assert replica["OPTIONS"]["prepare_threshold"] == 5
    assert replica["OPTIONS"]["connect_timeout"] == 2
    assert values["DATABASE_ROUTERS"] == ["filmdb.lib.replicas.ReplicaRouter"]
    cache = values["MIDDLEWARE"].index("filmdb.lib.page_cache.PageCacheMiddleware")
    assert values["MIDDLEWARE"][cache + 1] == "filmdb.lib.replica_reads.ReplicaReadMiddleware"


def test_without_replica_urls_everything_reads_from_the_one_database():
    url = "postgres://filmdb@db.internal:5432/filmdb"
    values = read_settings("DATABASES", "DATABASE_ROUTERS", "MIDDLEWARE", DATABASE_URL=url)
    assert list(values["DATABASES"]) == ["default"]
    assert values["DATABASE_ROUTERS"] == []
    assert not any("replica" in middleware for middleware in values["MIDDLEWARE"])


def test_replicas_need_postgresql():
    result = run(
        "import django; django.setup()",
        DATABASE_REPLICA_URLS="postgres://filmdb@replica-a/filmdb",
    )
    assert result.returncode != 0
    assert "DATABASE_REPLICA_URLS needs PostgreSQL" in result.stderr


def connect_parameters(**env) -> dict:
    """What Django hands psycopg to connect with (no connection is made)."""
    code = (
        "import json, django; django.setup(); from django.db import connection; "
        "params = connection.get_connection_params(); "
        "print(json.dumps({k: v for k, v in params.items() if k != 'context'}, default=str))"
    )
    result = run(code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_psycopg_gives_up_connecting_after_a_few_seconds():
    url = "postgres://filmdb@db.internal:5432/filmdb"
    assert connect_parameters(DATABASE_URL=url)["connect_timeout"] == 5
    shorter = connect_parameters(DATABASE_URL=url, DJANGO_DB_CONNECT_TIMEOUT_SECONDS="2")
    assert shorter["connect_timeout"] == 2
    in_url = connect_parameters(DATABASE_URL=url + "?connect_timeout=3&sslmode=require")
    assert (in_url["connect_timeout"], in_url["sslmode"]) == (3, "require")


def test_a_kept_connection_whose_server_vanishes_ends_within_the_same_few_seconds():
    url = "postgres://filmdb@db.internal:5432/filmdb"
    params = connect_parameters(DATABASE_URL=url)
    assert params["tcp_user_timeout"] == 5000
    assert (params["keepalives"], params["keepalives_idle"]) == (1, 30)
    shorter = connect_parameters(DATABASE_URL=url, DJANGO_DB_CONNECT_TIMEOUT_SECONDS="2")
    assert shorter["tcp_user_timeout"] == 2000
    in_url = connect_parameters(DATABASE_URL=url + "?tcp_user_timeout=9000")
    assert in_url["tcp_user_timeout"] == 9000


@pytest.mark.skipif(connection.vendor != "postgresql", reason="libpq's options")
def test_libpq_takes_the_network_timeouts(db):
    with connection.cursor():
        parameters = connection.connection.info.get_parameters()
    assert parameters["tcp_user_timeout"] == "5000"
    assert parameters["keepalives_idle"] == "30"


def test_redis_gives_up_after_a_second_unless_told_otherwise():
    options = read_settings("CACHES", **PRODUCTION)["CACHES"]["default"]["OPTIONS"]
    assert options == {"socket_connect_timeout": 1.0, "socket_timeout": 1.0}
    options = read_settings("CACHES", **PRODUCTION, DJANGO_REDIS_TIMEOUT_MS="250")["CACHES"][
        "default"
    ]["OPTIONS"]
    assert options == {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}


def test_with_debug_off_a_failing_page_writes_its_path_and_traceback_to_stderr(tmp_path):
    static = {"DJANGO_STATIC_ROOT": str(tmp_path / "static")}
    env = {**PRODUCTION, "REDIS_URL": "", **static}
    collected = manage("collectstatic", "--noinput", "--verbosity", "0", **env)
    assert collected.returncode == 0, collected.stderr
    code = (
        "import django; django.setup(); "
        "from django.test import Client, override_settings; "
        "override_settings(ROOT_URLCONF='tests.broken_urls').enable(); "
        "client = Client(raise_request_exception=False, HTTP_HOST='filme.example.de'); "
        "print(client.get('/kaputt/', secure=True).status_code)"
    )
    result = run(code, **env)
    assert result.stdout.strip() == "500", result.stderr
    assert "ERROR django.request: Internal Server Error: /kaputt/" in result.stderr
    assert "Traceback (most recent call last)" in result.stderr
    assert "RuntimeError: kaputt" in result.stderr


def test_the_proxy_count_is_read_under_its_first_name_too():
    assert read_settings("PROXY_COUNT")["PROXY_COUNT"] == 0
    assert read_settings("PROXY_COUNT", DJANGO_LOGIN_PROXY_COUNT="1")["PROXY_COUNT"] == 1
    both = read_settings("PROXY_COUNT", DJANGO_LOGIN_PROXY_COUNT="1", DJANGO_PROXY_COUNT="2")
    assert both["PROXY_COUNT"] == 2
