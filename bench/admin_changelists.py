"""Time the editors' admin lists at a million films on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/filmdb_bench \
        .venv/bin/python bench/admin_changelists.py --films 1000000 --people 300000

Fills an empty database with synthetic films and people (one SQL statement each), then
requests each admin page through Django's test client as a superuser and prints the
median and worst of five requests, with the number of SQL queries.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "filmdb.settings")

import django

django.setup()

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from films.models import Film
from people.models import Person

FILL_FILMS = """
INSERT INTO films_film (title, original_title, slug, year, runtime, fsk, countries, distributor,
    synopsis, plot, background, poster, poster_credit, poster_credit_note, status, published_at,
    search_text, imdb_snapshot, created_at, updated_at)
SELECT 'Film ' || n, 'Film ' || n, 'film-' || n, 1900 + n %% 125, 80 + n %% 90,
    (ARRAY[0, 6, 12, 16, 18])[1 + n %% 5], '', '', '', '', '', '', '', '',
    CASE WHEN n %% 10 = 0 THEN 'draft' ELSE 'published' END,
    CASE WHEN n %% 10 = 0 THEN NULL ELSE now() END, 'film ' || n, '', now(), now()
FROM generate_series(1, %s) AS n
"""
FILL_PEOPLE = """
INSERT INTO people_person (name, slug, birth_place, death_place, bio, photo, photo_credit,
    photo_credit_note, search_text, imdb_snapshot, created_at, updated_at)
SELECT 'Darsteller ' || n, 'darsteller-' || n, '', '', '', '', '', '', 'darsteller ' || n, '',
    now(), now()
FROM generate_series(1, %s) AS n
"""

PAGES = [
    ("films, first page", "/admin/films/film/"),
    ("films, page 1000", "/admin/films/film/?p=1000"),
    ("films, drafts", "/admin/films/film/?status__exact=draft"),
    ("films, search", "/admin/films/film/?q=film+123456"),
    ("people, first page", "/admin/people/person/"),
    ("people, search", "/admin/people/person/?q=darsteller+4711"),
    (
        "person autocomplete",
        "/admin/autocomplete/?term=darsteller+4711&app_label=people&model_name=credit"
        "&field_name=person",
    ),
]


def fill(films: int, people: int) -> None:
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        if not Film.objects.exists():
            cursor.execute(FILL_FILMS, [films])
        if not Person.objects.exists():
            cursor.execute(FILL_PEOPLE, [people])
        cursor.execute("ANALYZE")


def measure(client: Client, url: str, runs: int = 5) -> tuple[float, float, int]:
    timings, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    return statistics.median(timings), max(timings), queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--films", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=300_000)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run this against PostgreSQL (DATABASE_URL).")

    fill(args.films, args.people)
    user, _ = get_user_model().objects.get_or_create(
        username="bench", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    print(f"{Film.objects.count():,} films, {Person.objects.count():,} people")
    print(f"{'page':<22} {'median ms':>10} {'max ms':>8} {'queries':>8}")
    for name, url in PAGES:
        median, worst, queries = measure(client, url)
        print(f"{name:<22} {median:>10.1f} {worst:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
