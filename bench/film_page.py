"""Time the uncached film page on the generated database, beside a bare view.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/filmdb_bench
    .venv/bin/python bench/film_page.py --films 300

Production settings (DEBUG off, page cache off), requests through Django's test client
(server time, no HTTP). For each of a fixed random sample of published films it times, in
turn, the film page, a bare Django view answering "ok", and the page's data alone
(`film_page()`: its one query and the unpacking), so the three share the machine's drift.
Only reads: safe on a database others use.

    .venv/bin/python bench/film_page.py --films 300 --against <commit>

also times, in turn with the working tree's, the film page and `film_page()` as
filmdb/pages/film_page.py was at that commit: a before/after that drift cannot tilt.
"""

import argparse
import importlib.util
import os
import random
import statistics
import subprocess
import tempfile
import time

from production_django import ROOT, setup_django  # noqa: E402

setup_django(allowed_host="127.0.0.1")

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

import filmdb.pages.film_views  # noqa: E402
from filmdb.pages.film_page import film_page  # noqa: E402
from films.models import Film  # noqa: E402


def timed(call) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def film_page_at(commit: str):
    """film_page() as filmdb/pages/film_page.py (films/film_page.py before the read side
    moved) was at `commit`."""
    for path in ("filmdb/pages/film_page.py", "films/film_page.py"):
        shown = subprocess.run(
            ["git", "show", f"{commit}:{path}"], cwd=ROOT, capture_output=True, text=True
        )
        if shown.returncode == 0:
            break
    shown.check_returncode()
    source = shown.stdout
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as file:
        file.write(source)
    spec = importlib.util.spec_from_file_location(f"film_page_{commit}", file.name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    os.unlink(file.name)
    return module.film_page


def summary(timings: list[float]) -> str:
    timings = sorted(timings)
    p95 = timings[int(len(timings) * 0.95) - 1]
    return f"{statistics.median(timings):>7.2f} {p95:>7.2f} {timings[-1]:>7.2f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--films", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--against", metavar="COMMIT", help="also time film_page.py of COMMIT")
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

    versions = {"": film_page}
    if args.against:
        versions = {" (now)": film_page, f" ({args.against})": film_page_at(args.against)}

    def page(slug: str) -> None:
        response = client.get(f"/filme/{slug}/")
        assert response.status_code == 200, (slug, response.status_code)

    def bare() -> None:
        assert client.get("/bench/ok").status_code == 200

    def page_with(version, slug: str) -> None:
        # The view calls the version under test: the rest of the request stays the same.
        filmdb.pages.film_views.film_page = version
        page(slug)

    # Warm up: templates loaded, the connection open and its statements prepared.
    for slug in slugs[:20]:
        bare()
        for version in versions.values():
            page_with(version, slug)
            version(slug)
    with CaptureQueriesContext(connection) as queries:
        page_with(film_page, slugs[0])
    query_count = len(queries)  # now: a reconnection later clears the log it reads
    timings: dict[str, list[float]] = {"bare view": []}
    for number, slug in enumerate(slugs):
        timings["bare view"].append(timed(bare))
        # Each version first in turn, so neither always finds the other's rows cached.
        names = list(versions)[:: 1 if number % 2 else -1]
        for name in names:
            version = versions[name]
            timings.setdefault(f"film page{name}", []).append(
                timed(lambda version=version, slug=slug: page_with(version, slug))
            )
            timings.setdefault(f"film_page(){name}", []).append(
                timed(lambda version=version, slug=slug: version(slug))
            )
    print(f"{connection.vendor}, {len(slugs)} published films, {query_count} query a page")
    width = max(len(name) for name in timings)
    print(f"{'':<{width}} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}")
    for name, values in sorted(timings.items()):
        print(f"{name:<{width}} {summary(values)}")


if __name__ == "__main__":
    main()
