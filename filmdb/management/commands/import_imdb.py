from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from filmdb.imdb.importer import imdb_import


class Command(BaseCommand):
    help = (
        "Importiert IMDb-Datensätze (title.basics, title.akas, title.principals, title.crew, "
        "name.basics; .tsv oder .tsv.gz) aus einem Verzeichnis."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--types",
            default="movie,tvMovie",
            help="Titeltypen, durch Kommas getrennt (Standard: movie,tvMovie)",
        )
        parser.add_argument("--since", type=int, help="nur Titel ab diesem Jahr")
        parser.add_argument(
            "--draft", action="store_true", help="neue Filme als Entwurf statt veröffentlicht"
        )

    def handle(self, *args, directory: Path, types: str, since, draft: bool, **options):
        if not directory.is_dir():
            raise CommandError(f"{directory} ist kein Verzeichnis.")
        try:
            summary = imdb_import(
                directory=directory,
                types={kind.strip() for kind in types.split(",") if kind.strip()},
                since=since,
                publish=not draft,
                out=self.stdout,
            )
        except FileNotFoundError as missing:
            raise CommandError(str(missing)) from None
        write = self.stdout.write
        write("Zusammenfassung:")
        for label, count in sorted(summary.added.items()):
            write(f"  neu: {count:,} {label}")
        for label, count in sorted(summary.updated.items()):
            write(f"  aktualisiert: {count:,} {label}")
        for reason, count in sorted(summary.skipped.items()):
            write(f"  übersprungen: {count:,} ({reason})")
        problems = summary.problems
        if problems.counts:
            write(f"  fehlerhafte Zeilen: {sum(problems.counts.values()):,}")
            for reason, count in sorted(problems.counts.items()):
                write(f"    {count:,} × {reason}")
            write("  die ersten davon:")
            for line in problems.shown:
                write(f"    {line}")
