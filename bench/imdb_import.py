"""Rows per second of `import_imdb`, per file, on an empty database.

    .venv/bin/python bench/imdb_import.py --principals 1200000       # SQLite file in bench/out
    createdb -h 127.0.0.1 -U postgres filmdb_import
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/filmdb_import \\
        .venv/bin/python bench/imdb_import.py --principals 1200000

Writes a deterministic IMDb-format file set to bench/out/imdb-<principals>/ (once), then
migrates the database and imports it. A file's time is its reading and staging plus the
SQL that writes its rows; title.principals also carries the credit insert.
"""

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "filmdb.settings")
OUT = ROOT / "bench" / "out"
if "DATABASE_URL" not in os.environ:
    OUT.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{OUT / 'imdb-import.sqlite3'}"

import django

django.setup()

from django.core.management import call_command
from django.db import connection

from filmdb.imdb.importer import imdb_import
from films.models import Film

FIRST = ["Anna", "Jürgen", "Céline", "Marion", "José", "Zoë", "Björn", "Ingrid", "Jean", "Ayşe"]
CATEGORIES = [
    "actor",
    "actress",
    "actor",
    "actress",
    "director",
    "writer",
    "producer",
    "composer",
    "cinematographer",
    "editor",
    "casting_director",
    "self",
]


def write_files(directory: Path, principals: int, seed: int) -> None:
    rng = random.Random(seed)
    titles = principals // 8
    people = principals // 3
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / "title.basics.tsv", "w", encoding="utf-8") as file:
        file.write(
            "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres\n"
        )
        for n in range(1, titles + 1):
            kind = "movie" if n % 5 else "tvEpisode"
            title = f'Film "{n}" {rng.choice(["Nacht", "Liebe", "Stadt", "Meer"])}'
            row = [f"tt{n:07}", kind, title, title, "0", str(1920 + n % 105), "\\N"]
            file.write("\t".join([*row, str(60 + n % 120), "Drama,Comedy"]) + "\n")
    with open(directory / "title.akas.tsv", "w", encoding="utf-8") as file:
        file.write(
            "titleId\tordering\ttitle\tregion\tlanguage\ttypes\tattributes\tisOriginalTitle\n"
        )
        for n in range(1, titles + 1):
            file.write(f"tt{n:07}\t1\tDer Film {n}\tDE\t\\N\timdbDisplay\t\\N\t0\n")
            file.write(f"tt{n:07}\t2\tThe Film {n}\tUS\t\\N\t\\N\t\\N\t0\n")
    with open(directory / "name.basics.tsv", "w", encoding="utf-8") as file:
        file.write("nconst\tprimaryName\tbirthYear\tdeathYear\tprimaryProfession\tknownForTitles\n")
        for n in range(1, people + 1):
            file.write(
                f"nm{n:07}\t{rng.choice(FIRST)} Person{n}\t{1900 + n % 100}\t\\N\tactor\t\\N\n"
            )
    with open(directory / "title.principals.tsv", "w", encoding="utf-8") as file:
        file.write("\ufefftconst\tordering\tnconst\tcategory\tjob\tcharacters\n")
        for n in range(principals):
            title = n // 8 + 1
            category = CATEGORIES[n % len(CATEGORIES)]
            characters = json.dumps([f"Figur {n}"]) if category in ("actor", "actress") else "\\N"
            person = rng.randint(1, people)
            row = [f"tt{title:07}", str(n % 8 + 1), f"nm{person:07}", category, "\\N", characters]
            file.write("\t".join(row) + "\n")
    with open(directory / "title.crew.tsv", "w", encoding="utf-8") as file:
        file.write("tconst\tdirectors\twriters\n")
        for n in range(1, titles + 1):
            file.write(f"tt{n:07}\tnm{rng.randint(1, people):07}\tnm{rng.randint(1, people):07}\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--principals", type=int, default=1_200_000)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    directory = OUT / f"imdb-{args.principals}"
    if not (directory / "title.crew.tsv").exists():
        write_files(directory, args.principals, args.seed)
    call_command("migrate", verbosity=0)
    if Film.objects.exists():
        sys.exit("The database must be empty: create a new one.")
    started = time.monotonic()
    with open(os.devnull, "w") as quiet:
        summary = imdb_import(directory=directory, types={"movie", "tvMovie"}, out=quiet)
    total = time.monotonic() - started
    print({step: round(value, 1) for step, value in summary.seconds.items()})
    seconds = dict(summary.seconds)
    seconds["title.principals"] = seconds.get("title.principals", 0) + seconds.pop("credits", 0)
    print(f"{connection.vendor}: {dict(summary.added)}")
    print(f"{'file':<18} {'rows':>10} {'seconds':>8} {'rows/s':>10}")
    for name in ["title.basics", "title.akas", "name.basics", "title.principals", "title.crew"]:
        rows = summary.rows[name]
        print(f"{name:<18} {rows:>10,} {seconds[name]:>8.1f} {rows / seconds[name]:>10,.0f}")
    print(f"{'all':<18} {'':>10} {total:>8.1f}")


if __name__ == "__main__":
    main()
