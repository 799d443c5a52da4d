"""The import leaves PostgreSQL's planner informed of the rows it wrote."""

import pytest
from django.core.management import call_command
from django.db import connection

from films.models import Film
from people.models import Credit, Person
from tests import DATA

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")


def planner_rows() -> dict[str, float]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%s)",
            [["films_film", "people_person", "people_credit"]],
        )
        return dict(cursor.fetchall())


def test_after_an_import_the_planner_knows_how_many_films_people_and_credits_there_are(db):
    call_command("import_imdb", str(DATA / "imdb-sample" / "small-mixed"), stdout=None)
    assert Credit.objects.exists()
    assert planner_rows() == {
        "films_film": Film.objects.count(),
        "people_person": Person.objects.count(),
        "people_credit": Credit.objects.count(),
    }
