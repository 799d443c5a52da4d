"""Time searches and pages on the generated database (DESIGN.md §8) on PostgreSQL.

    createdb -h 127.0.0.1 -U postgres filmdb_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/filmdb_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py generate_films      # 100,000 films; --films 700000: IMDb's size
    .venv/bin/python bench/search.py --samples 200 --prewarm

Each request goes through Django's test client (server time, no HTTP) with the production
settings (DEBUG off, page cache off); queries are picked at random from the data, with a
fixed seed. The JSON API is asked the film searches and lists, films, people and a week's
Kinostarts with the same requests as the site ("API: …", after the site's scenarios).
Every request must answer 200 and is followed by one to a bare Django view answering
"ok", so the two share the machine's drift. Prints the database's size, then per scenario
p50/p95/max in ms, the p95 as a multiple of the bare view's p50, and the queries of the
slowest request; then each scenario's slowest request. Only reads (but for `--prewarm`,
which creates the pg_prewarm extension): safe on a database others use.
"""

import argparse
import gc
import random
import statistics
import sys
import time
from collections import Counter
from urllib.parse import urlencode

from production_django import setup_django  # noqa: E402

setup_django()

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from filmdb.lib.folding import fold_for_search, fold_title
from filmdb.pages.kinostarts import week_start
from films.models import Film, Genre
from people.models import Credit, Person


def partial_name(name: str, rng: random.Random) -> str:
    """How a visitor types a name: the surname without up to three last letters (at least
    five letters), lower case, without accents."""
    surname = fold_for_search(name.split()[-1]).split()[0]  # its accent-free spelling
    return surname[: max(5, len(surname) - rng.randint(0, 3))]


def two_words(title: str, rng: random.Random) -> str:
    """Two neighbouring words of a title, as a visitor remembers part of it."""
    words = title.split()
    start = rng.randint(0, len(words) - 2)
    return " ".join(words[start : start + 2])


def typed_title(title: str, rng: random.Random) -> str:
    """Part of a title as a visitor types it into a search field: one or two neighbouring
    words, the last one without up to three last letters (at least three letters)."""
    words = fold_title(title).split()
    start = rng.randint(0, max(0, len(words) - 2))
    typed = words[start : start + rng.randint(1, 2)]
    typed[-1] = typed[-1][: max(3, len(typed[-1]) - rng.randint(0, 3))]
    return " ".join(typed)


def most_common_words(titles: list[str], count: int) -> list[str]:
    """The `count` words most titles of the sample have, folded as a visitor may type them."""
    words = Counter(word for title in titles for word in set(fold_title(title).split()))
    return [word for word, _ in words.most_common(count)]


def beginnings(names: list[str], letters: int, rng: random.Random, n: int) -> list[str]:
    """`n` beginnings of `letters` letters of the words of random `names` ("ma", "a")."""
    words = [word for name in names for word in fold_for_search(name).split()]
    return [rng.choice(words)[:letters] for _ in range(n)]


def in_the_api(urls: list[str]) -> list[str]:
    """The same requests of the JSON API, which answers at the site's paths under /api/v1/
    with the site's parameters (docs/api.md)."""
    return [f"/api/v1{url}" for url in urls]


def measure(client: Client, urls: list[str], bare: list[float]) -> dict:
    """Time each of `urls`, each followed by a request to the bare view (into `bare`)."""
    timings, worst_url = [], ""
    for url in urls:
        start = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, (url, response.status_code)
        if not timings or elapsed > max(timings):
            worst_url = url
        timings.append(elapsed)
        start = time.perf_counter()
        assert client.get("/bench/ok").status_code == 200
        bare.append((time.perf_counter() - start) * 1000)
    # Counted once more, untimed: recording each statement costs time of its own.
    with CaptureQueriesContext(connection) as queries:
        client.get(worst_url)
    return summary(timings) | {"queries": len(queries), "slowest": worst_url}


def browse_scenarios(rng: random.Random, n: int) -> dict[str, list[str]]:
    """The ways in besides search: Kinostarts, genres, years, the Bestenliste, the feeds
    and the sitemap sections that list them. From a random stream of their own, so the
    search scenarios' samples stay what they were."""
    starts = list(
        Film.objects.published()
        .filter(release_date__isnull=False)
        .values_list("release_date", flat=True)
        .distinct()
    )
    weeks = [week_start(day) for day in rng.sample(starts, min(n, len(starts)))]
    genres = list(Genre.objects.values_list("slug", flat=True))
    years = list(Film.objects.published().values_list("year", flat=True).distinct())
    decades = sorted({year // 10 * 10 for year in years if year})
    return {
        "Kinostarts, this and coming weeks": ["/kinostarts/"] * n,
        "Kinostarts of a week": [f"/kinostarts/{week.isoformat()}/" for week in weeks],
        "genre list": ["/genres/"] * n,
        "genre page, pages 1-50": [
            f"/genre/{rng.choice(genres)}/?" + urlencode({"seite": rng.randint(1, 50)})
            for _ in range(n)
        ],
        "year page, pages 1-50": [
            f"/jahr/{rng.choice(years)}/?" + urlencode({"seite": rng.randint(1, 50)})
            for _ in range(n)
        ],
        "Bestenliste, page 1": ["/bestenliste/"] * n,
        "Bestenliste by decade, pages 1-5": [
            "/bestenliste/?"
            + urlencode({"jahrzehnt": rng.choice(decades), "seite": rng.randint(1, 5)})
            for _ in range(n)
        ],
        "Bestenliste by genre and decade, pages 1-5": [
            "/bestenliste/?"
            + urlencode(
                {
                    "genre": rng.choice(genres),
                    "jahrzehnt": rng.choice(decades),
                    "seite": rng.randint(1, 5),
                }
            )
            for _ in range(n)
        ],
        "feed of reviews": ["/feeds/kritiken/"] * n,
        "feed of Kinostarts": ["/feeds/kinostarts/"] * n,
        "sitemap: Kinostarts weeks": ["/sitemap-kinostarts.xml"] * n,
        "sitemap: genres": ["/sitemap-genres.xml"] * n,
        "sitemap: years": ["/sitemap-jahre.xml"] * n,
    }


def prewarm() -> None:
    """Read the database's tables and indexes once, so that the searches measure a warm
    server and not the disk."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        cursor.execute(
            "SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'i')"
        )
        for (relation,) in cursor.fetchall():
            cursor.execute("SELECT pg_prewarm(%s, 'buffer')", [relation])
    print(f"prewarmed in {time.perf_counter() - started:.0f} s")


def summary(timings: list[float]) -> dict:
    timings = sorted(timings)
    return {
        "p50": statistics.median(timings),
        "p95": timings[max(0, int(len(timings) * 0.95) - 1)],
        "max": timings[-1],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--prewarm",
        action="store_true",
        help="read every table and index into the OS page cache first (pg_prewarm), as on "
        "a server whose memory holds the database; creates the extension",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="TEXT",
        help="measure only the scenarios whose name contains TEXT (repeatable)",
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run this against PostgreSQL (DATABASE_URL).")
    rng = random.Random(args.seed)
    # DEBUG off: pages name the static files by their hashed names, from the manifest.
    call_command("collectstatic", interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    if args.prewarm:
        prewarm()

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
    films = list(Film.objects.filter(pk__in=[rng.randint(1, max_film) for _ in range(n * 2)]))
    titled = [film for film in films if len(film.title.split()) >= 2][:n]
    # People with a credit: a person known from no film has no public page.
    people = list(
        Person.objects.filter(
            pk__in=[rng.randint(1, max_person) for _ in range(n)], credits__isnull=False
        ).distinct()
    )
    pages = min(n, 50)
    # Searches that match many films or people: the two words most titles have, each
    # of them alone, and beginnings of one or two letters of names (`q=a`, `q=ma`).
    common = most_common_words([film.title for film in films], 2)
    names = [person.name for person in people]
    short = random.Random(args.seed + 2)  # its own stream: the other samples stay
    typing = random.Random(args.seed + 3)  # likewise, for the suggestions' films

    # The film searches and lists: asked of the JSON API too, below.
    searches = {
        "search by actor (partial, accent-free)": [
            "/filme/?" + urlencode({"darsteller": partial_name(name, rng)}) for name in actors
        ],
        "search by director and actor": [
            "/filme/?"
            + urlencode({"regie": partial_name(d, rng), "darsteller": partial_name(a, rng)})
            for d, a in directors
        ],
        "q: two words of a title": [
            "/filme/?" + urlencode({"q": two_words(film.title, rng)}) for film in titled
        ],
        "q: a person's full name": ["/filme/?" + urlencode({"q": name}) for name in actors[:n]],
        "q: the two most common title words": ["/filme/?" + urlencode({"q": " ".join(common)})] * n,
        "q: the most common title word": ["/filme/?" + urlencode({"q": common[0]})] * n,
        "q: one letter": ["/filme/?" + urlencode({"q": b}) for b in beginnings(names, 1, short, n)],
        "q: two letters": [
            "/filme/?" + urlencode({"q": b}) for b in beginnings(names, 2, short, n)
        ],
        "darsteller: one letter": [
            "/filme/?" + urlencode({"darsteller": b}) for b in beginnings(names, 1, short, n)
        ],
        "regie: two letters": [
            "/filme/?" + urlencode({"regie": b}) for b in beginnings(names, 2, short, n)
        ],
        "film list, newest first, page 1": ["/filme/"] * pages,
        "film list, newest first, pages 2-50": [
            "/filme/?" + urlencode({"seite": rng.randint(2, 50)}) for _ in range(pages)
        ],
        "film list, title A-Z, page 1": ["/filme/?sortierung=titel"] * pages,
    }
    scenarios = {
        **searches,
        "person autocomplete": [
            "/personen/autocomplete/?"
            + urlencode({"q": partial_name(name, rng), "rolle": "darsteller"})
            for name in actors
        ],
        # The search fields' suggestions as the header's field asks for them: films by
        # title and people by name.
        "suggestions: part of a title": [
            "/personen/autocomplete/?" + urlencode({"q": typed_title(film.title, typing)})
            for film in films[:n]
        ],
        "suggestions: part of a name": [
            "/personen/autocomplete/?" + urlencode({"q": partial_name(name, typing)})
            for name in actors
        ],
        "suggestions: the most common title word": [
            "/personen/autocomplete/?" + urlencode({"q": common[0]})
        ]
        * n,
        "film page (uncached)": [film.get_absolute_url() for film in films[:n]],
        "person page (uncached)": [person.get_absolute_url() for person in people],
        **browse_scenarios(random.Random(args.seed + 1), n),
    }
    # The same requests of the API: site and API on identical inputs.
    scenarios |= {
        **{f"API: {name}": in_the_api(urls) for name, urls in searches.items()},
        "API: film detail": in_the_api(scenarios["film page (uncached)"]),
        "API: person detail": in_the_api(scenarios["person page (uncached)"]),
        "API: Kinostarts of a week": in_the_api(scenarios["Kinostarts of a week"]),
    }
    if args.only:
        scenarios = {
            name: urls
            for name, urls in scenarios.items()
            if any(text in name for text in args.only)
        }
    client = Client(HTTP_HOST="localhost")
    for url in [urls[0] for urls in scenarios.values()] + ["/bench/ok"] * 20:
        client.get(url)  # warm up: templates loaded, statements prepared
    gc.freeze()  # as filmdb/wsgi.py does in every worker once the application is loaded
    print(
        f"{Film.objects.count():,} films, {Person.objects.count():,} people, "
        f"{Credit.objects.count():,} credits; {n} samples each"
    )
    results, bare = {}, []
    for name, urls in scenarios.items():
        results[name] = measure(client, urls, bare)
    bare_p50 = summary(bare)["p50"]
    header = (
        f"{'scenario':<44} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'p95/bare':>9} {'queries':>8}"
    )
    print(header)
    for name, result in results.items():
        print(
            f"{name:<44} {result['p50']:>8.1f} {result['p95']:>8.1f} {result['max']:>8.1f} "
            f"{result['p95'] / bare_p50:>7.0f}x {result['queries']:>8}"
        )
    bare_result = summary(bare)
    print(
        f"{'bare view (after each request)':<44} {bare_result['p50']:>8.2f} "
        f"{bare_result['p95']:>8.2f} {bare_result['max']:>8.2f}"
    )
    print("slowest request of each scenario:")
    for name, result in results.items():
        print(f"  {name}: {result['slowest']}")


if __name__ == "__main__":
    main()
