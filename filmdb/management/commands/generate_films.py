"""Synthetic films, people and credits for benchmarks and load tests."""

import datetime
import itertools
import random
import time
from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.utils import timezone

from filmdb.imdb.staging import copy_rows, default_values
from filmdb.lib.folding import fold_for_search, fold_title, german_slugify
from filmdb.lib.page_cache import content_changed
from filmdb.popularity import refresh_popularity
from films.models import Film, Genre, GenreListing
from people.models import Credit, Person
from people.visibility import publish_people_sql
from reviews.models import Review
from reviews.ratings import refresh_ratings

FIRST_NAMES = [
    "Anna",
    "Ben",
    "Céline",
    "Jürgen",
    "Marion",
    "Matthias",
    "Sophie",
    "Lukas",
    "Élodie",
    "Jean",
    "Günter",
    "Zoë",
    "Björn",
    "Ana",
    "María",
    "José",
    "Søren",
    "Agnès",
    "Hélène",
    "Thomas",
    "Laura",
    "Paul",
    "Emma",
    "Noah",
    "Mia",
    "Felix",
    "Lea",
    "Jonas",
    "Hannah",
    "Elias",
    "Ida",
    "Oskar",
    "Lina",
    "Karl",
    "Greta",
    "Max",
    "Clara",
    "Anton",
    "Marie",
    "Fritz",
    "Inès",
    "Théo",
    "Chloé",
    "Renée",
    "Françoise",
    "Jörg",
    "Ulrich",
    "Dörte",
    "Maël",
    "Andrés",
    "Lucía",
    "Nuño",
    "Ángel",
    "Milena",
    "Dragoş",
    "Zoltán",
    "Łukasz",
    "Małgorzata",
    "Tomáš",
]
# Surnames from onset + vowel + coda syllables: some ten thousand distinct syllables, so
# that a typed part of a surname matches about as few people as in real names.
ONSETS = [
    "b",
    "br",
    "ch",
    "d",
    "dr",
    "f",
    "fr",
    "g",
    "gr",
    "h",
    "j",
    "k",
    "kl",
    "kr",
    "l",
    "m",
    "n",
    "p",
    "pf",
    "pr",
    "r",
    "s",
    "sch",
    "st",
    "t",
    "tr",
    "v",
    "w",
    "z",
]
VOWELS = ["a", "e", "i", "o", "u", "ä", "ö", "ü", "é", "è", "au", "ei", "ie", "ou"]
CODAS = ["", "", "n", "r", "l", "s", "t", "ck", "rd", "rt", "nd", "ng", "ll", "tz", "ss", "rg"]
TITLE_WORDS = [
    "Nacht",
    "Liebe",
    "Stadt",
    "Himmel",
    "Meer",
    "Rost",
    "Knochen",
    "Geschmack",
    "Spiel",
    "Weg",
    "Sommer",
    "Winter",
    "Herz",
    "Licht",
    "Schatten",
    "Zeit",
    "Traum",
    "Feuer",
    "Wasser",
    "Erde",
    "Straße",
    "Haus",
    "Vater",
    "Mutter",
    "Sohn",
    "Tochter",
    "Brüder",
    "König",
    "Schwestern",
    "Jäger",
    "Reise",
    "Flucht",
    "Rückkehr",
    "Stille",
    "Lärm",
    "Glück",
    "Zorn",
    "Wahrheit",
    "Lüge",
    "Ende",
    "Anfang",
]
ROLES = [
    Credit.Role.PRODUCER,
    Credit.Role.WRITER,
    Credit.Role.COMPOSER,
    Credit.Role.CINEMATOGRAPHER,
    Credit.Role.EDITOR,
    Credit.Role.CASTING,
]
# Genres with their weights: drama and comedy common, westerns rare.
GENRES = {
    "Drama": 30,
    "Komödie": 20,
    "Thriller": 10,
    "Krimi": 8,
    "Liebesfilm": 8,
    "Dokumentarfilm": 6,
    "Abenteuer": 5,
    "Action": 5,
    "Animation": 4,
    "Familie": 4,
    "Horror": 4,
    "Science-Fiction": 4,
    "Fantasy": 3,
    "Historienfilm": 3,
    "Biografie": 2,
    "Kriegsfilm": 2,
    "Musikfilm": 2,
    "Sport": 1,
    "Western": 1,
}
BATCH = 100_000


def _last_name(rng: random.Random) -> str:
    syllables = (
        rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS)
        for _ in range(rng.randint(2, 3))
    )
    return "".join(syllables).capitalize()


def _write(model: type[models.Model], columns: list[str], rows: Iterator[tuple]) -> None:
    """Rows of `columns` into `model`'s table (COPY on PostgreSQL), BATCH rows a
    transaction; every other column gets its default, as the IMDb import's do."""
    defaults = default_values(model, exclude=columns)
    all_columns = [*columns, *(column for column, _ in defaults)]
    tail = tuple(value for _, value in defaults)
    while batch := list(itertools.islice(rows, BATCH)):
        with transaction.atomic():
            copy_rows(model._meta.db_table, all_columns, (row + tail for row in batch))


def _analyze(*loaded: type[models.Model]) -> None:
    """Fresh planner statistics for the tables of `loaded` (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in loaded:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


class Command(BaseCommand):
    help = (
        "Erzeugt reproduzierbar zufällige Filme, Personen, Mitwirkungen und Kritiken "
        "(für Benchmarks)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--films", type=int, default=100_000)
        parser.add_argument("--people", type=int, help="Standard: dreimal so viele wie Filme")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, films: int, people: int | None, seed: int, **options):
        people = people or films * 3
        if Film.objects.exists() or Person.objects.exists():
            raise CommandError("Die Datenbank enthält schon Filme oder Personen: nimm eine leere.")
        if films < 1 or people < 30:
            raise CommandError("Es braucht mindestens einen Film und 30 Personen.")
        rng = random.Random(seed)
        started = time.monotonic()
        # Kinostarts and genres from a stream of their own: the films, people and credits
        # of a seed stay what they were before films had them.
        extra = random.Random(-seed)
        film_ids = self._films(rng, extra, films)
        person_ids = self._people(rng, people)
        credits = self._credits(rng, film_ids, person_ids)
        reviews = self._reviews(rng, film_ids)
        self._genres(extra, film_ids)
        # The counts below join the tables just filled: without statistics the planner
        # took them for empty and, at 700,000 films, read a bitmap of all 70,000 reviews
        # for every film (over 15 minutes in one UPDATE).
        _analyze(Film, Person, Credit, Review, Genre, Film.genres.through)
        # Bulk writes send no signals: what they would keep is listed and counted once now.
        GenreListing.objects.refresh()
        _analyze(GenreListing)  # which the ratings' count lists again
        refresh_popularity(Film.objects.all())
        refresh_ratings(Film.objects.filter(reviews__isnull=False))
        Genre.objects.refresh_film_counts()
        # Everyone credited on the (published) films is public from their moment.
        with connection.cursor() as cursor:
            cursor.execute(*publish_people_sql(f"SELECT id FROM {Person._meta.db_table}"))
        content_changed()
        if connection.vendor == "postgresql":
            # Fresh statistics, or the planner guesses until autovacuum gets round to it
            # (on the generated data the film page's query ran 1.6 ms instead of 0.3 ms);
            # and the pages marked all-visible, so that the list's first thousand films
            # are read from their index alone, as autovacuum would leave them. (Inside a
            # transaction, as in the tests, VACUUM cannot run.)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
        self.stdout.write(
            f"{films:,} Filme, {people:,} Personen, {credits:,} Mitwirkungen, "
            f"{reviews:,} Kritiken in {time.monotonic() - started:.0f} s"
        )

    def _films(self, rng: random.Random, extra: random.Random, count: int) -> list[int]:
        """One film in ten with a Kinostart, on a Thursday of its year: at 700,000 films
        (6,500 a year) about twelve a week, as many as start in German cinemas."""

        def release_date(year: int) -> datetime.date | None:
            if extra.random() >= 0.1:
                return None
            first_thursday = datetime.date(
                year, 1, 1 + (3 - datetime.date(year, 1, 1).weekday()) % 7
            )
            return first_thursday + datetime.timedelta(weeks=extra.randrange(52))

        published_at = timezone.now()

        def rows():
            for n in range(count):
                title = " ".join(rng.sample(TITLE_WORDS, rng.randint(1, 4)))
                year = rng.randint(1920, 2026)
                yield (
                    title,
                    title,
                    f"{german_slugify(title)}-{year}-{n}",
                    year,
                    rng.randint(70, 200),
                    rng.choice([0, 6, 12, 16, 18, None]),
                    Film.Status.PUBLISHED.value,
                    f"{title}: eine Geschichte aus dem Jahr {year}.",
                    fold_for_search(title),
                    fold_title(title),
                    fold_title(title),
                    release_date(year),
                    published_at,
                )

        names = ["title", "original_title", "slug", "year", "runtime", "fsk", "status"]
        texts = ["synopsis", "search_text", "title_key", "original_title_key"]
        _write(Film, [*names, *texts, "release_date", "published_at"], rows())
        return list(Film.objects.order_by("pk").values_list("pk", flat=True))

    def _people(self, rng: random.Random, count: int) -> list[int]:
        def rows():
            for n in range(count):
                name = f"{rng.choice(FIRST_NAMES)} {_last_name(rng)}"
                yield (
                    name,
                    f"{german_slugify(name)}-{n}",
                    fold_for_search(name),
                    rng.randint(1900, 2005),
                )

        _write(Person, ["name", "slug", "search_text", "birth_year"], rows())
        return list(Person.objects.order_by("pk").values_list("pk", flat=True))

    def _credits(self, rng: random.Random, film_ids: list[int], person_ids: list[int]) -> int:
        """5 to 30 credits a film (mostly nearer 5); one in twenty goes to a small pool of
        stars, who so appear in hundreds of films."""
        stars = person_ids[: max(10, len(person_ids) // 1000)]
        total = 0

        def rows():
            nonlocal total
            for film_id in film_ids:
                size = round(rng.triangular(5, 30, 8))
                cast: dict[int, None] = {}  # distinct people in the order drawn
                while len(cast) < size:
                    pool = stars if rng.random() < 0.05 else person_ids
                    cast.setdefault(rng.choice(pool), None)
                billed: dict[str, int] = {}  # credits of each role so far
                for order, person_id in enumerate(cast):
                    role = (
                        Credit.Role.DIRECTOR
                        if order == 0
                        else Credit.Role.CAST
                        if order <= size * 0.6
                        else rng.choice(ROLES)
                    )
                    character = f"Figur {order}" if role == Credit.Role.CAST else ""
                    billing = billed.get(role, 0)
                    billed[role] = billing + 1
                    yield film_id, person_id, role, character, order, billing
                total += size

        columns = ["film_id", "person_id", "role", "character", "order", "billing"]
        _write(Credit, columns, rows())
        return total

    def _reviews(self, rng: random.Random, film_ids: list[int]) -> int:
        """A published review on every tenth film."""
        author, _ = get_user_model().objects.get_or_create(
            username="generator-kritik",
            defaults={"is_staff": True, "first_name": "Gene", "last_name": "Rator"},
        )
        now = timezone.now()
        reviews = [
            Review(
                film_id=film_id,
                author=author,
                byline="Gene Rator",
                headline=f"Kritik {n}",
                body="Ein erster Absatz.\n\nEin zweiter Absatz mit mehr Text.",
                verdict="Sehenswert.",
                rating=rng.randint(1, 5),
                status=Review.Status.PUBLISHED,
                published_at=now,
                first_published_at=now,
            )
            for n, film_id in enumerate(film_ids[::10])
        ]
        for start in range(0, len(reviews), BATCH):
            with transaction.atomic():
                Review.objects.bulk_create(reviews[start : start + BATCH])
        return len(reviews)

    def _genres(self, rng: random.Random, film_ids: list[int]) -> None:
        """One to three genres a film, drawn by their weights."""
        new = (Genre(name=name, slug=german_slugify(name)) for name in GENRES)
        Genre.objects.bulk_create(new, ignore_conflicts=True)
        by_name = Genre.objects.in_bulk(GENRES, field_name="name")
        genres = [by_name[name] for name in GENRES]
        weights = list(GENRES.values())

        def rows():
            for film_id in film_ids:
                drawn = rng.choices(genres, weights, k=rng.choice([1, 1, 2, 2, 3]))
                for genre in dict.fromkeys(drawn):
                    yield film_id, genre.pk

        _write(Film.genres.through, ["film_id", "genre_id"], rows())
