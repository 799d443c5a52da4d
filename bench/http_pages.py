"""Requests/s and latency of the public pages over HTTP, under gunicorn, with wrk.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/filmdb_bench   # generated data
    export REDIS_URL=redis://127.0.0.1:6379/1
    .venv/bin/python bench/http_pages.py                  # needs wrk (Debian package "wrk")

Runs gunicorn twice on loopback with the production settings (DEBUG off, WhiteNoise,
Redis): once with page caching off and once with it on. In each run wrk first measures a
bare Django view that answers "ok" (same middleware, no database), then the pages, each
for --duration seconds after a short warm-up. Film and search pages are picked at random
from --films published films and their actors. Prints requests/s, p50 and p99 latency,
errors, and each page's requests/s as a share of the bare view's: in the same run, and in
the run with page caching off (where the bare view does not look into the cache first).
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

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "filmdb.settings")

import django

django.setup()

from django.conf import settings
from django.db import connection
from servers import PLAIN_HTTP_PRODUCTION, start_gunicorn

from films.folding import fold_for_search
from films.models import Film
from people.models import Credit

SERVER_ENV = {
    **PLAIN_HTTP_PRODUCTION,
    "DJANGO_SETTINGS_MODULE": "http_settings",
    "DJANGO_SECRET_KEY": "bench-only-secret-key-not-for-production-use-0123456789",
    "DJANGO_STATIC_ROOT": str(OUT / "static"),
}


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


def start_server(port: int, workers: int, page_cache_seconds: int) -> subprocess.Popen:
    env = {**os.environ, **SERVER_ENV, "DJANGO_PAGE_CACHE_SECONDS": str(page_cache_seconds)}
    return start_gunicorn(env, port, workers, pythonpath=f"{ROOT / 'bench'},{ROOT}")


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
    parser.add_argument("--duration", type=int, default=15, help="seconds per measurement")
    parser.add_argument("--warmup", type=int, default=3, help="seconds before each")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--films", type=int, default=500, help="distinct film pages")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    if connection.vendor != "postgresql" or "redis" not in settings.CACHES["default"]["BACKEND"]:
        sys.exit("Run this against PostgreSQL (DATABASE_URL) and Redis (REDIS_URL).")
    OUT.mkdir(parents=True, exist_ok=True)
    film_urls, search_urls = pick_urls(args.films, random.Random(args.seed))
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity=0"],
        cwd=ROOT,
        env={**os.environ, **SERVER_ENV, "DJANGO_SETTINGS_MODULE": "filmdb.settings"},
        check=True,
    )

    runs = [
        ("page cache off", 0, [("bare view", ["/bench/ok"]), ("film page, uncached", film_urls),
                               ("search page, uncached", search_urls)]),
        ("page cache on", 600, [("bare view", ["/bench/ok"]), ("film page, cached", film_urls),
                                ("search page, cached", search_urls)]),
    ]  # fmt: skip
    rows = []
    for label, page_cache_seconds, scenarios in runs:
        server = start_server(args.port, args.workers, page_cache_seconds)
        try:
            if page_cache_seconds:
                for url in film_urls + search_urls:  # warm: every page once
                    urllib.request.urlopen(f"http://127.0.0.1:{args.port}{url}").read()
            bare = None
            for name, urls in scenarios:
                wrk(args.port, urls, args.warmup, args.connections)
                result = wrk(args.port, urls, args.duration, args.connections)
                bare = bare or result["rps"]
                rows.append((label, name, result, bare))
        finally:
            server.terminate()
            server.wait()

    print(
        f"\ngunicorn {args.workers} sync workers, wrk 1 thread {args.connections} connections, "
        f"{args.duration} s each, {len(film_urls)} film pages, {len(search_urls)} searches\n"
    )
    print(
        "| run | page | requests/s | p50 ms | p99 ms | errors | non-2xx "
        "| share of bare, same run | share of bare, cache off |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    bare_without_cache = rows[0][3]
    for label, name, r, bare in rows:
        print(
            f"| {label} | {name} | {r['rps']:,.0f} | {r['p50']:.1f} | {r['p99']:.1f} "
            f"| {r['errors']} | {r['non_2xx']} | {r['rps'] / bare:.0%} "
            f"| {r['rps'] / bare_without_cache:.0%} |"
        )


if __name__ == "__main__":
    main()
