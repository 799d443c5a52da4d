"""Lighthouse scores of the demo film's page, served by gunicorn with DEBUG off.

    make install-browser                       # npm ci: lighthouse (needs Debian's Chromium)
    .venv/bin/python bench/lighthouse.py       # --runs 3, --path /filme/<slug>/

Builds a fresh SQLite database in bench/out/lighthouse/ (migrations and the demo film),
collects the static files (hashed, compressed, served by WhiteNoise) and starts gunicorn
on loopback with the production settings, made plain HTTP (no SSL redirect, HSTS or
secure cookies) and with the poster served by Django (DJANGO_SERVE_MEDIA=1). The page is
requested once first, so Lighthouse sees it from the page cache as most visitors do.
Lighthouse then runs in Debian's Chromium, headless, with its defaults: a mobile device on
a throttled connection (simulated). Prints the four category scores of each run and their
median, and for any score below its target the audits that cost points. Exits 1 when a
median misses its target: performance 95, accessibility, best practices and SEO 100.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from servers import PLAIN_HTTP_PRODUCTION, free_port, start_gunicorn  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "lighthouse"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
FILM_PAGE = "/filme/der-geschmack-von-rost-und-knochen-2012/"
# Headless and quiet on a closed network: none of Chromium's own connections.
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}


def server_env() -> dict[str, str]:
    """Production settings over plain HTTP on loopback, on a database of their own."""
    keep = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("DJANGO_") and name not in {"DATABASE_URL", "REDIS_URL"}
    }
    return {
        **keep,
        "DJANGO_SETTINGS_MODULE": "filmdb.settings",
        **PLAIN_HTTP_PRODUCTION,
        "DJANGO_SECRET_KEY": "lighthouse-bench-only-secret-key-not-for-production-0123456789",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SERVE_MEDIA": "1",
        "DJANGO_STATIC_ROOT": str(OUT / "static"),
        "DJANGO_MEDIA_ROOT": str(OUT / "media"),
        "DATABASE_URL": f"sqlite:///{OUT / 'db.sqlite3'}",
    }


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args, "--verbosity=0"], cwd=ROOT, env=env, check=True
    )


def lighthouse(url: str, report: Path) -> dict:
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            f"--chrome-path={CHROMIUM}",
            f"--chrome-flags={CHROME_FLAGS}",
            "--output=json",
            f"--output-path={report}",
            "--quiet",
        ],
        cwd=ROOT,
        check=True,
    )
    return json.loads(report.read_text())


def scores(result: dict) -> dict[str, int]:
    return {key: round(result["categories"][key]["score"] * 100) for key in TARGETS}


def lost_points(result: dict, category: str) -> list[str]:
    """The audits of a category that did not pass, with what Lighthouse says of them."""
    lines = []
    for ref in result["categories"][category]["auditRefs"]:
        audit = result["audits"][ref["id"]]
        if audit["score"] is None or audit["score"] >= 1 or ref["weight"] == 0:
            continue
        value = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
        lines.append(f"  {audit['id']}: score {audit['score']:.2f}, weight {ref['weight']}{value}")
        lines.append(f"    {audit['title']}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs (median reported)")
    parser.add_argument("--path", default=FILM_PAGE, help="page to measure")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} is missing: apt-get install chromium chromium-driver")
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is missing: make install-browser (npm ci)")

    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    env = server_env()
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    manage(env, "collectstatic", "--noinput")

    port = free_port()
    server = start_gunicorn(env, port, args.workers)
    url = f"http://127.0.0.1:{port}{args.path}"
    try:
        urllib.request.urlopen(url, timeout=10).read()  # into the page cache
        results = [lighthouse(url, OUT / f"report-{run}.json") for run in range(1, args.runs + 1)]
    finally:
        server.terminate()
        server.wait()

    runs = [scores(result) for result in results]
    median = {key: round(statistics.median(run[key] for run in runs)) for key in TARGETS}
    lighthouse_version = results[0]["lighthouseVersion"]
    form_factor = results[0]["configSettings"]["formFactor"]
    print(f"\nLighthouse {lighthouse_version}, {form_factor}, {url}, {args.runs} runs")
    print("| run | " + " | ".join(TARGETS) + " |")
    print("|---|" + "---:|" * len(TARGETS))
    for number, run in enumerate(runs, 1):
        print(f"| {number} | " + " | ".join(str(run[key]) for key in TARGETS) + " |")
    print("| median | " + " | ".join(str(median[key]) for key in TARGETS) + " |")
    print("| target | " + " | ".join(str(target) for target in TARGETS.values()) + " |")

    missed = [key for key, target in TARGETS.items() if median[key] < target]
    for key in TARGETS:
        if any(run[key] < TARGETS[key] for run in runs):
            worst = min(results, key=lambda result, key=key: scores(result)[key])
            print(f"\n{key}: below {TARGETS[key]} in some run; lowest run's lost points:")
            print("\n".join(lost_points(worst, key)))
    print(f"\nReports: {OUT.relative_to(ROOT)}/report-N.json")
    if missed:
        sys.exit(f"Below target: {', '.join(missed)}")


if __name__ == "__main__":
    main()
