import os

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection

from filmdb.demo import demo_load
from films.models import Film
from people.models import Person


@pytest.fixture(autouse=True, scope="session")
def _postgresql_when_required(django_db_setup, django_db_blocker):
    """CI's PostgreSQL pass must really run on PostgreSQL, never fall back silently."""
    if os.environ.get("REQUIRE_POSTGRESQL"):
        with django_db_blocker.unblock():
            assert connection.vendor == "postgresql", "REQUIRE_POSTGRESQL is set, but not in use"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def make_user(username: str, group: str | None = None, **fields):
    user = get_user_model().objects.create_user(
        username=username, password="geheim-und-lang-genug", is_staff=True, **fields
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(db):
    return make_user("redakteurin", "Redaktion", first_name="Rita", last_name="Redakteurin")


@pytest.fixture
def critic(db):
    return make_user("kritiker", "Kritik", first_name="Karl", last_name="Kritiker")


@pytest.fixture
def other_critic(db):
    return make_user("kollegin", "Kritik", first_name="Klara", last_name="Kollegin")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def critic_client(client, critic):
    client.force_login(critic)
    return client


@pytest.fixture
def demo_film(db) -> Film:
    return demo_load()


@pytest.fixture
def make_film(db):
    def make(title: str = "Ein Film", year: int = 2020, **fields) -> Film:
        return Film.objects.create(title=title, year=year, **fields)

    return make


@pytest.fixture
def make_person(db):
    def make(name: str, **fields) -> Person:
        return Person.objects.create(name=name, **fields)

    return make
