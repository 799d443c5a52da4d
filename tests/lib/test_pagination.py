import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from filmdb.lib.pagination import EstimatedCountPaginator
from films.models import Film

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")


def make_films(count: int) -> None:
    Film.objects.bulk_create(Film(title=f"Film {n}", slug=f"film-{n}") for n in range(count))


def count_queries(paginator) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        count = paginator.count
    return count, [query["sql"] for query in queries.captured_queries]


@pytest.mark.postgresql
@on_postgresql
def test_a_big_unfiltered_list_uses_the_planners_estimate_instead_of_counting(db):
    make_films(300)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE films_film")
    paginator = EstimatedCountPaginator(Film.objects.order_by("pk"), 50)
    paginator.exact_count_below = 100
    count, sql = count_queries(paginator)
    assert count == 300  # ANALYZE of a small table is exact
    assert "pg_class" in sql[0]
    assert not any("COUNT(" in query for query in sql)


@pytest.mark.postgresql
@on_postgresql
def test_a_filtered_list_is_counted_exactly(db):
    make_films(300)
    paginator = EstimatedCountPaginator(Film.objects.filter(title__endswith="7").order_by("pk"), 50)
    paginator.exact_count_below = 100
    count, sql = count_queries(paginator)
    assert count == 30
    assert "COUNT(" in sql[-1]


def test_a_small_table_is_counted_exactly(db):
    make_films(12)
    count, sql = count_queries(EstimatedCountPaginator(Film.objects.order_by("pk"), 5))
    assert count == 12
    assert "COUNT(" in sql[-1]
