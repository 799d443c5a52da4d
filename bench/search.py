"""Time searches and pages on the generated database (DESIGN.md §8) on PostgreSQL.

    createdb -h 127.0.0.1 -U postgres filmdb_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/filmdb_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py generate_films      # 100,000 films, 300,000 people, 1.5M credits
    .venv/bin/python bench/search.py --samples 200

Each request goes through Django's test client (server time, no HTTP); queries are picked
at random from the data, with a fixed seed. Prints p50/p95/max in ms and the queries of
the slowest request.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "filmdb.settings")
# Server time of rendering, not of the page cache (bench/http_pages.py measures that).
os.environ["DJANGO_PAGE_CACHE_SECONDS"] = "0"

import django

django.setup()

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from filmdb.lib.folding import fold_for_search
from films.models import Film
from people.models import Credit, Person


def partial_name(name: str, rng: random.Random) -> str:
    """How a visitor types a name: the surname without up to three last letters (at least
    five letters), lower case, without accents."""
    surname = fold_for_search(name.split()[-1]).split()[0]  # its accent-free spelling
    return surname[: max(5, len(surname) - rng.randint(0, 3))]


def measure(client: Client, urls: list[str]) -> dict:
    timings, worst_queries = [], 0
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, (url, response.status_code)
        if not timings or elapsed > max(timings):
            worst_queries = len(queries)
        timings.append(elapsed)
    timings.sort()
    return {
        "p50": statistics.median(timings),
        "p95": timings[int(len(timings) * 0.95) - 1],
        "max": timings[-1],
        "queries": worst_queries,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run this against PostgreSQL (DATABASE_URL).")
    rng = random.Random(args.seed)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    n = args.samples
    max_person, max_film = (
        Person.objects.order_by("-pk").first().pk,
        Film.objects.order_by("-pk").first().pk,
    )
    actors = list(
        Credit.objects.filter(
            role="cast", person_id__in=[rng.randint(1, max_person) for _ in range(n * 3)]
        )
        .select_related("person")
        .values_list("person__name", flat=True)[:n]
    )
    directors = list(
        Credit.objects.filter(
            role="director", film_id__in=[rng.randint(1, max_film) for _ in range(n)]
        )
        .values_list("person__name", "film__credits__person__name")
        .filter(film__credits__role="cast")[:n]
    )
    films = list(Film.objects.filter(pk__in=[rng.randint(1, max_film) for _ in range(n)]))
    people = list(Person.objects.filter(pk__in=[rng.randint(1, max_person) for _ in range(n)]))

    scenarios = {
        "search by actor (partial, accent-free)": [
            "/filme/?" + urlencode({"darsteller": partial_name(name, rng)}) for name in actors
        ],
        "search by director and actor": [
            "/filme/?"
            + urlencode({"regie": partial_name(d, rng), "darsteller": partial_name(a, rng)})
            for d, a in directors
        ],
        "search by title (q)": [
            "/filme/?" + urlencode({"q": film.title.split()[0][:5]}) for film in films
        ],
        "film list, newest first, page 1": ["/filme/"] * min(n, 50),
        "person autocomplete": [
            "/personen/autocomplete/?"
            + urlencode({"q": partial_name(name, rng), "rolle": "darsteller"})
            for name in actors
        ],
        "film page (uncached)": [film.get_absolute_url() for film in films],
        "person page (uncached)": [person.get_absolute_url() for person in people],
    }
    client = Client(HTTP_HOST="localhost")
    print(
        f"{Film.objects.count():,} films, {Person.objects.count():,} people, "
        f"{Credit.objects.count():,} credits; {n} samples each"
    )
    print(f"{'scenario':<40} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>8}")
    for name, urls in scenarios.items():
        result = measure(client, urls)
        print(
            f"{name:<40} {result['p50']:>8.1f} {result['p95']:>8.1f} {result['max']:>8.1f} "
            f"{result['queries']:>8}"
        )


if __name__ == "__main__":
    main()
