"""Requests/s and latency of the public pages over HTTP, under gunicorn, with wrk.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/filmdb_bench   # generated data
    export REDIS_URL=redis://127.0.0.1:6379/1
    .venv/bin/python bench/http_pages.py                  # needs wrk (Debian package "wrk")

Runs two gunicorn servers on loopback with the production settings (DEBUG off,
WhiteNoise, Redis): one with page caching off, one with it on. wrk measures a bare Django
view that answers "ok" (same middleware, no database) and the pages on each, for
--duration seconds after a short warm-up, in --rounds rounds that each measure every
page once. Film and search pages are picked at random from --films published films and
their actors; the JSON API's film detail asks for the same films. Prints the median over
the rounds of requests/s, p50 and p99 latency, the errors, and each page's requests/s as
a share of the bare view's in the same round: on the same server, and on the one with
page caching off (where the bare view does not look into the cache first); then the API's
film detail against the film page, round by round.

wrk sends every request from 127.0.0.1: the API's limit per address is set so high that
each request is counted and none refused (--api-rate-limit 0 turns it off, to compare).

With --replica URL (a streaming replica of DATABASE_URL, e.g. from `make replica`) the two
servers both run with page caching off: one reads from the primary only, the other with
DATABASE_REPLICA_URLS=URL. Same machine, same cores: the difference is the cost of the
router and its replay check per request, not the gain of a second machine.

    make replica        # prints both URLs; then, against the printed primary:
    DATABASE_URL=<primary> .venv/bin/python manage.py migrate
    DATABASE_URL=<primary> .venv/bin/python manage.py generate_films --films 20000
    DATABASE_URL=<primary> REDIS_URL=redis://127.0.0.1:6379/1 \
        .venv/bin/python bench/http_pages.py --replica <replica>
"""

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "filmdb.settings")

import django
import psycopg

django.setup()

from django.conf import settings
from django.db import connection
from servers import PLAIN_HTTP_PRODUCTION, start_gunicorn

from filmdb.lib.folding import fold_for_search
from filmdb.lib.page_cache import content_changed
from films.models import Film
from people.models import Credit

SERVER_ENV = {
    **PLAIN_HTTP_PRODUCTION,
    "DJANGO_SETTINGS_MODULE": "http_settings",
    "DJANGO_SECRET_KEY": "bench-only-secret-key-not-for-production-use-0123456789",
    "DJANGO_STATIC_ROOT": str(OUT / "static"),
}
# Counted on every API request, reached by none.
UNREACHED_API_RATE_LIMIT = 1_000_000_000


def pick_urls(count: int, rng: random.Random) -> tuple[list[str], list[str]]:
    ids = list(Film.objects.published().values_list("pk", flat=True).order_by("pk"))
    films = Film.objects.filter(pk__in=rng.sample(ids, min(count, len(ids))))
    film_urls = [film.get_absolute_url() for film in films.only("slug")]
    actors = (
        Credit.objects.filter(film__in=films, role=Credit.Role.CAST)
        .values_list("person__name", flat=True)
        .distinct()[:count]
    )
    search_urls = [f"/filme/?darsteller={fold_for_search(name).split()[-1]}" for name in actors]
    return film_urls, search_urls


def start_server(
    port: int, workers: int, page_cache_seconds: int, api_rate_limit: int, replica: str = ""
) -> subprocess.Popen:
    env = {
        **os.environ,
        **SERVER_ENV,
        "DJANGO_PAGE_CACHE_SECONDS": str(page_cache_seconds),
        "DJANGO_API_RATE_LIMIT": str(api_rate_limit),
        "DATABASE_REPLICA_URLS": replica,
    }
    return start_gunicorn(env, port, workers, pythonpath=f"{ROOT / 'bench'},{ROOT}")


def replica_transactions(url: str) -> int:
    """Transactions committed on the replica's database so far (its own statistics)."""
    with psycopg.connect(url, autocommit=True) as replica:
        (count,) = replica.execute(
            "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
        ).fetchone()
    return count


def wrk(port: int, urls: list[str], seconds: int, connections: int) -> dict:
    urls_file = OUT / "urls.txt"
    urls_file.write_text("\n".join(urls) + "\n")
    command = [
        "wrk",
        "--latency",
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "-s",
        str(ROOT / "bench" / "random_path.lua"),
        f"http://127.0.0.1:{port}",
    ]
    output = subprocess.run(
        command, env={**os.environ, "URLS_FILE": str(urls_file)}, capture_output=True, text=True
    ).stdout
    if "Requests/sec" not in output:
        sys.exit(f"wrk failed:\n{output}")

    def number(pattern: str, default: str = "0") -> str:
        match = re.search(pattern, output)
        return match.group(1) if match else default

    def ms(value: str) -> float:
        match = re.fullmatch(r"([\d.]+)(us|ms|s)", value)
        assert match, value
        amount, unit = match.groups()
        return float(amount) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return {
        "rps": float(number(r"Requests/sec:\s+([\d.]+)")),
        "p50": ms(number(r"(?m)^\s+50%\s+(\S+)")),
        "p99": ms(number(r"(?m)^\s+99%\s+(\S+)")),
        "requests": int(number(r"(\d+) requests in")),
        "errors": sum(int(n) for n in errors.groups()) if errors else 0,
        "non_2xx": int(number(r"Non-2xx or 3xx responses: (\d+)")),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=6, help="seconds per measurement")
    parser.add_argument("--rounds", type=int, default=5, help="measurements per page")
    parser.add_argument("--warmup", type=int, default=2, help="seconds before each")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--films", type=int, default=500, help="distinct film pages")
    parser.add_argument("--port", type=int, default=8765, help="and the next one")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--replica", default="", help="a replica's URL: primary against both")
    parser.add_argument(
        "--api-rate-limit",
        type=int,
        default=UNREACHED_API_RATE_LIMIT,
        help="the servers' DJANGO_API_RATE_LIMIT; 0: off",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    if connection.vendor != "postgresql" or "redis" not in settings.CACHES["default"]["BACKEND"]:
        sys.exit("Run this against PostgreSQL (DATABASE_URL) and Redis (REDIS_URL).")
    OUT.mkdir(parents=True, exist_ok=True)
    film_urls, search_urls = pick_urls(args.films, random.Random(args.seed))
    # The same films from the JSON API, which answers at the film page's path under /api/v1/.
    api_urls = [f"/api/v1{url}" for url in film_urls]
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity=0"],
        cwd=ROOT,
        env={**os.environ, **SERVER_ENV, "DJANGO_SETTINGS_MODULE": "filmdb.settings"},
        check=True,
    )

    # Both servers run throughout; only the one being measured is busy. Each round measures
    # every page once, so a machine that is slower for a while slows all pages alike.
    # With --replica the second server reads from the replica, with page caching off too.
    first_port, second_port = args.port, args.port + 1
    first = "primary only" if args.replica else "page cache off"
    second = "primary + replica" if args.replica else "page cache on"
    kept = "uncached" if args.replica else "cached"
    scenarios = [
        (first, "bare view", first_port, ["/bench/ok"]),
        (first, "film page, uncached", first_port, film_urls),
        (first, "API film detail, uncached", first_port, api_urls),
        (first, "search page, uncached", first_port, search_urls),
        (second, "bare view", second_port, ["/bench/ok"]),
        (second, f"film page, {kept}", second_port, film_urls),
        (second, f"API film detail, {kept}", second_port, api_urls),
        (second, f"search page, {kept}", second_port, search_urls),
    ]
    servers = [
        start_server(first_port, args.workers, 0, args.api_rate_limit),
        start_server(
            second_port,
            args.workers,
            0 if args.replica else 600,
            args.api_rate_limit,
            replica=args.replica,
        ),
    ]
    replica_before = replica_transactions(args.replica) if args.replica else 0
    results: dict[str, list[dict]] = {f"{label}: {name}": [] for label, name, _, _ in scenarios}
    try:
        # A new content version, so that warming stores every page afresh: a page still
        # cached from an earlier run would be a hit now and expire in the middle of this one.
        content_changed()
        for url in film_urls + api_urls + search_urls:  # warm: every page once
            urllib.request.urlopen(f"http://127.0.0.1:{second_port}{url}").read()
        for _ in range(args.rounds):
            for label, name, port, urls in scenarios:
                wrk(port, urls, args.warmup, args.connections)
                results[f"{label}: {name}"].append(wrk(port, urls, args.duration, args.connections))
    finally:
        for server in servers:
            server.terminate()
            server.wait()

    def bare(label: str, round_: int) -> float:
        return results[f"{label}: bare view"][round_]["rps"]

    print(
        f"\ngunicorn {args.workers} sync workers, wrk 1 thread {args.connections} connections, "
        f"{args.rounds} rounds of {args.duration} s per page, {len(film_urls)} film pages, "
        f"{len(search_urls)} searches, API rate limit {args.api_rate_limit or 'off'}; "
        "medians of the rounds\n"
    )
    print(
        "| run | page | requests/s | p50 ms | p99 ms | errors | non-2xx "
        "| share of bare, same server | share of bare, cache off | per round, cache off |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for label, name, _, _ in scenarios:
        rounds = results[f"{label}: {name}"]
        same = [r["rps"] / bare(label, n) for n, r in enumerate(rounds)]
        off = [r["rps"] / bare(first, n) for n, r in enumerate(rounds)]
        print(
            f"| {label} | {name} | {median(r['rps'] for r in rounds):,.0f} "
            f"| {median(r['p50'] for r in rounds):.1f} | {median(r['p99'] for r in rounds):.1f} "
            f"| {sum(r['errors'] for r in rounds)} | {sum(r['non_2xx'] for r in rounds)} "
            f"| {median(same):.0%} | {median(off):.0%} "
            f"| {', '.join(f'{share:.0%}' for share in off)} |"
        )

    def against(measured: str, compared: str) -> str:
        """`measured`'s requests/s as a share of `compared`'s, round by round."""
        shares = [
            a["rps"] / b["rps"] for a, b in zip(results[measured], results[compared], strict=True)
        ]
        return (
            f"median of the rounds {median(shares):.1%} "
            f"({', '.join(f'{share:.0%}' for share in shares)})"
        )

    print()
    for label, kind in ((first, "uncached"), (second, kept)):
        print(
            f"{label}: API film detail against the film page, "
            + against(f"{label}: API film detail, {kind}", f"{label}: film page, {kind}")
        )
    if args.replica:
        served = replica_transactions(args.replica) - replica_before
        print(f"\nTransactions the replica served during the run: {served:,}")
        for page in ("film page, uncached", "API film detail, uncached", "search page, uncached"):
            print(
                f"{page}: primary + replica against primary only, "
                + against(f"{second}: {page}", f"{first}: {page}")
            )


if __name__ == "__main__":
    main()
