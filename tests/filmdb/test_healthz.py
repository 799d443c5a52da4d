from django.db import DatabaseError


def test_healthz_reports_database_and_cache(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"datenbank": "ok", "cache": "ok"}


def test_healthz_is_503_when_the_database_fails(client, db, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise DatabaseError("weg")

    with monkeypatch.context() as patch:
        patch.setattr("filmdb.views.connection.cursor", broken_cursor)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["datenbank"] == "Fehler: DatabaseError"


def test_healthz_is_503_when_the_cache_fails(client, db, monkeypatch):
    def broken_set(*args, **kwargs):
        raise ConnectionError("Redis antwortet nicht")

    monkeypatch.setattr("filmdb.views.cache.set", broken_set)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"datenbank": "ok", "cache": "Fehler: ConnectionError"}


def test_healthz_answers_plain_http_while_pages_redirect_to_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    page = client.get("/filme/")
    assert page.status_code == 301
    assert page["Location"].startswith("https://")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"datenbank": "ok", "cache": "ok"}
