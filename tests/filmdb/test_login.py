"""Admin logins: throttled after wrong passwords, strong passwords, sessions that end."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import make_user

PASSWORD = "geheim-und-lang-genug"
LOGIN = "/admin/login/"


def log_in(client: Client, username: str, password: str, address: str = "192.0.2.10"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


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
