from django.core.management.base import BaseCommand

from filmdb.demo import demo_load


class Command(BaseCommand):
    help = (
        'Lädt den Demo-Film "Der Geschmack von Rost und Knochen" mit Besetzung, Kritik und Angebot.'
    )

    def handle(self, *args, **options) -> None:
        film = demo_load()
        self.stdout.write(f"Demo-Film bereit: {film} – /filme/{film.slug}/")
