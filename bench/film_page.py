"""Time the uncached film page on the generated database, beside a bare view.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/filmdb_bench
    .venv/bin/python bench/film_page.py --films 300

Production settings (DEBUG off, page cache off), requests through Django's test client
(server time, no HTTP). For each of a fixed random sample of published films it times, in
turn, the film page, a bare Django view answering "ok", and the page's data alone
(`film_page()`: its one query and the unpacking), so the three share the machine's drift.
Only reads: safe on a database others use.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT)]
os.environ.update(
    DJANGO_SETTINGS_MODULE="http_settings",
    DJANGO_DEBUG="0",
    DJANGO_SECRET_KEY="bench-only-secret-key-not-for-production-0123456789",
    DJANGO_SECURE_SSL_REDIRECT="0",
    DJANGO_SECURE_HSTS_SECONDS="0",
    DJANGO_PAGE_CACHE_SECONDS="0",
    DJANGO_ALLOWED_HOSTS="127.0.0.1",
)
os.environ.setdefault("DJANGO_STATIC_ROOT", str(ROOT / "bench" / "out" / "static"))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from films.film_page import film_page  # noqa: E402
from films.models import Film  # noqa: E402


def timed(call) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def summary(timings: list[float]) -> str:
    timings = sorted(timings)
    p95 = timings[int(len(timings) * 0.95) - 1]
    return f"{statistics.median(timings):>7.2f} {p95:>7.2f} {timings[-1]:>7.2f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--films", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    last = Film.objects.order_by("-pk").values_list("pk", flat=True).first()
    slugs = list(
        Film.objects.published()
        .filter(pk__in=[rng.randint(1, last) for _ in range(args.films)])
        .values_list("slug", flat=True)
    )
    rng.shuffle(slugs)
    client = Client(HTTP_HOST="127.0.0.1")

    def page(slug: str) -> None:
        response = client.get(f"/filme/{slug}/")
        assert response.status_code == 200, (slug, response.status_code)

    def bare() -> None:
        assert client.get("/bench/ok").status_code == 200

    # Warm up: templates loaded, the connection open and its statements prepared.
    for slug in slugs[:20]:
        page(slug)
        bare()
        film_page(slug)
    with CaptureQueriesContext(connection) as queries:
        page(slugs[0])
    query_count = len(queries)  # now: a reconnection later clears the log it reads
    timings: dict[str, list[float]] = {"film page": [], "bare view": [], "film_page()": []}
    for slug in slugs:
        timings["film page"].append(timed(lambda slug=slug: page(slug)))
        timings["bare view"].append(timed(bare))
        timings["film_page()"].append(timed(lambda slug=slug: film_page(slug)))
    print(f"{connection.vendor}, {len(slugs)} published films, {query_count} query a page")
    print(f"{'':<12} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}")
    for name, values in timings.items():
        print(f"{name:<12} {summary(values)}")


if __name__ == "__main__":
    main()
