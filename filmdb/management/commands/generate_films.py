"""Synthetic films, people and credits for benchmarks and load tests."""

import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from films.folding import fold_for_search, german_slugify
from films.models import Film
from people.models import Credit, Person

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
ROLES = ["producer", "writer", "composer", "cinematographer", "editor", "casting"]
BATCH = 5_000


def _last_name(rng: random.Random) -> str:
    syllables = (
        rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS)
        for _ in range(rng.randint(2, 3))
    )
    return "".join(syllables).capitalize()


class Command(BaseCommand):
    help = "Erzeugt zufällige Filme, Personen und Mitwirkungen (für Benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--films", type=int, default=100_000)
        parser.add_argument("--people", type=int, default=300_000)
        parser.add_argument("--credits", type=int, default=1_500_000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, films: int, people: int, credits: int, seed: int, **options):
        if Film.objects.exists() or Person.objects.exists():
            raise CommandError("Die Datenbank enthält schon Filme oder Personen: nimm eine leere.")
        if films < 1 or people < 1 or credits < films:
            raise CommandError(
                "Es braucht mindestens einen Film, eine Person und je Film eine Mitwirkung."
            )
        rng = random.Random(seed)
        started = time.monotonic()
        film_ids = self._films(rng, films)
        person_ids = self._people(rng, people)
        self._credits(rng, film_ids, person_ids, credits)
        self.stdout.write(
            f"{films:,} Filme, {people:,} Personen, {credits:,} Mitwirkungen "
            f"in {time.monotonic() - started:.0f} s"
        )

    def _films(self, rng: random.Random, count: int) -> list[int]:
        for start in range(0, count, BATCH):
            batch = []
            for n in range(start, min(start + BATCH, count)):
                title = " ".join(rng.sample(TITLE_WORDS, rng.randint(1, 4)))
                year = rng.randint(1920, 2026)
                batch.append(
                    Film(
                        title=title,
                        original_title=title,
                        slug=f"{german_slugify(title)}-{year}-{n}",
                        year=year,
                        runtime=rng.randint(70, 200),
                        fsk=rng.choice([0, 6, 12, 16, 18, None]),
                        status=Film.Status.PUBLISHED,
                        synopsis=f"{title}: eine Geschichte aus dem Jahr {year}.",
                        search_text=fold_for_search(title),
                    )
                )
            with transaction.atomic():
                Film.objects.bulk_create(batch)
        return list(Film.objects.values_list("pk", flat=True))

    def _people(self, rng: random.Random, count: int) -> list[int]:
        for start in range(0, count, BATCH):
            batch = []
            for n in range(start, min(start + BATCH, count)):
                name = f"{rng.choice(FIRST_NAMES)} {_last_name(rng)}"
                batch.append(
                    Person(
                        name=name,
                        slug=f"{german_slugify(name)}-{n}",
                        search_text=fold_for_search(name),
                    )
                )
            with transaction.atomic():
                Person.objects.bulk_create(batch)
        return list(Person.objects.values_list("pk", flat=True))

    def _credits(self, rng: random.Random, film_ids: list[int], person_ids: list[int], count: int):
        per_film, extra = divmod(count, len(film_ids))
        batch: list[Credit] = []
        for index, film_id in enumerate(film_ids):
            size = per_film + (1 if index < extra else 0)
            for order, person_id in enumerate(rng.sample(person_ids, min(size, len(person_ids)))):
                # One director first, then mostly cast, then the crew.
                role = (
                    "director"
                    if order == 0
                    else "cast"
                    if order <= size * 0.6
                    else rng.choice(ROLES)
                )
                character = f"Figur {order}" if role == "cast" else ""
                batch.append(
                    Credit(
                        film_id=film_id,
                        person_id=person_id,
                        role=role,
                        character=character,
                        order=order,
                    )
                )
            if len(batch) >= BATCH:
                with transaction.atomic():
                    Credit.objects.bulk_create(batch)
                batch = []
        with transaction.atomic():
            Credit.objects.bulk_create(batch)
