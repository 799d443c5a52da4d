"""Admin logins: throttled after wrong passwords, per account and per address, records
of logins kept for 30 days only, strong passwords, sessions that end."""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import make_user
from tests.html_forms import form_fields

PASSWORD = "geheim-und-lang-genug"
LOGIN = "/admin/login/"


def log_in(client: Client, username: str, password: str, address: str = "192.0.2.10", **headers):
    """Opens the login page and submits its form as a browser does."""
    page = client.get(LOGIN, {"next": "/admin/"}, REMOTE_ADDR=address, headers=headers)
    data = {
        **form_fields(page.content.decode(), "login-form"),
        "username": username,
        "password": password,
    }
    return client.post(LOGIN, data, REMOTE_ADDR=address, headers=headers)


def is_logged_in(client: Client) -> bool:
    return client.get("/admin/").status_code == 200


def test_the_right_password_lets_an_editor_in(editor):
    client = Client()
    assert log_in(client, "redakteurin", PASSWORD).status_code == 302
    assert is_logged_in(client)


def test_after_ten_wrong_passwords_the_right_one_does_not_let_in_at_once(editor):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        wrong = log_in(client, "redakteurin", "falsch-geraten")
        assert wrong.status_code in {200, 429}
    locked = log_in(client, "redakteurin", PASSWORD)
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Anmeldung vorübergehend gesperrt" in page
    assert "15 Minuten" in page
    assert not is_logged_in(client)


def test_the_lock_holds_for_one_account_from_one_address(editor):
    make_user("kollege", "Redaktion")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(Client(), "redakteurin", "falsch-geraten")
    assert log_in(Client(), "redakteurin", PASSWORD).status_code == 429
    assert log_in(Client(), "kollege", PASSWORD).status_code == 302  # another account
    assert log_in(Client(), "redakteurin", PASSWORD, "198.51.100.7").status_code == 302


def test_nine_wrong_passwords_still_let_the_right_one_in(editor):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "redakteurin", "falsch-geraten")
    assert log_in(client, "redakteurin", PASSWORD).status_code == 302


def test_one_address_guessing_account_names_is_locked_out_before_the_thirtieth(editor):
    guesser = "203.0.113.5"
    statuses = [
        log_in(Client(), f"name{number}", "falsch-geraten", guesser).status_code
        for number in range(30)
    ]
    limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    assert statuses == [200] * (limit - 1) + [429] * (30 - limit + 1)
    locked = log_in(Client(), "redakteurin", PASSWORD, guesser)
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Anmeldung vorübergehend gesperrt" in page
    assert f"Von Ihrer Adresse aus wurde {limit}-mal ein falsches Passwort eingegeben" in page
    assert "15 Minuten niemanden herein" in page
    elsewhere = Client()
    assert log_in(elsewhere, "redakteurin", PASSWORD, "198.51.100.7").status_code == 302
    assert is_logged_in(elsewhere)


def test_wrong_passwords_for_an_editors_name_from_many_addresses_do_not_lock_them_out(editor):
    for number in range(30):
        wrong = log_in(Client(), "redakteurin", "falsch-geraten", f"203.0.113.{number}")
        assert wrong.status_code == 200
    client = Client()
    assert log_in(client, "redakteurin", PASSWORD).status_code == 302
    assert is_logged_in(client)


def test_behind_a_proxy_the_address_it_names_is_locked_not_the_proxy(editor, settings):
    settings.PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for number in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        # What the guesser writes into the header itself stays to the left of the proxy's entry.
        forwarded = f"192.0.2.{number}, 203.0.113.5"
        log_in(Client(), f"name{number}", "falsch-geraten", proxy, **{"X-Forwarded-For": forwarded})
    locked = log_in(Client(), "redakteurin", PASSWORD, proxy, **{"X-Forwarded-For": "203.0.113.5"})
    assert locked.status_code == 429
    client = Client()
    elsewhere = log_in(
        client, "redakteurin", PASSWORD, proxy, **{"X-Forwarded-For": "198.51.100.7"}
    )
    assert elsewhere.status_code == 302
    assert is_logged_in(client)
    assert AccessLog.objects.get().ip_address == "198.51.100.7"


def login_records(model, *, days_ago: float, **fields):
    record = model.objects.create(
        username="redakteurin", ip_address="192.0.2.99", user_agent="Firefox", **fields
    )
    model.objects.filter(pk=record.pk).update(
        attempt_time=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return model.objects.filter(pk=record.pk)


@pytest.mark.parametrize("password", [PASSWORD, "falsch-geraten"])
def test_login_records_older_than_30_days_are_gone_after_the_next_login_attempt(editor, password):
    days = settings.LOGIN_RECORD_DAYS
    assert days == 30
    old = [
        login_records(AccessLog, days_ago=days + 0.1),
        login_records(AccessFailureLog, days_ago=days + 0.1),
        login_records(AccessAttempt, days_ago=days + 0.1, failures_since_start=1),
    ]
    fresh = [
        login_records(AccessLog, days_ago=days - 1),
        login_records(AccessFailureLog, days_ago=days - 1),
    ]
    assert all(record.exists() for record in old + fresh)
    log_in(Client(), "redakteurin", password)
    assert not any(record.exists() for record in old)
    assert all(record.exists() for record in fresh)


@pytest.mark.parametrize("password", ["filmdb", "12345678", "passwort", "redakteurin1"])
def test_weak_passwords_are_refused(editor, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=editor)


def test_an_editor_session_ends_after_a_working_day_and_with_the_browser(editor_client):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert is_logged_in(editor_client)
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = editor_client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
