"""Time what checks every person's visibility, on the generated database at IMDb's size.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/filmdb_bench700k
    .venv/bin/python bench/people_visibility.py --runs 5

The people sitemap's count (its index page), its hundredth page (10,000 URLs from the
990,001st public person on), and the suggestions for `zolt` (35,487 people's names begin
with it), each through Django's test client with the production settings (DEBUG off,
page cache off). Prints each one's best and median time of `--runs`, in ms. Only reads.
"""

import argparse
import statistics
import time

from production_django import setup_django  # noqa: E402

setup_django()

from django.test import Client

from filmdb.pages.sitemaps import PersonSitemap

SCENARIOS = {
    "sitemap: count of public people": lambda client: PersonSitemap().paginator.count,
    "sitemap: page 100": lambda client: client.get("/sitemap-personen.xml?p=100"),
    "suggestions: zolt": lambda client: client.get("/personen/autocomplete/?q=zolt"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    client = Client(HTTP_HOST="localhost")
    for name, scenario in SCENARIOS.items():
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            result = scenario(client)
            times.append((time.perf_counter() - started) * 1000)
            status = getattr(result, "status_code", 200)
            if status != 200:
                raise SystemExit(f"{name}: {status}")
        print(f"{name}: best {min(times):.0f} ms, median {statistics.median(times):.0f} ms")


if __name__ == "__main__":
    main()
