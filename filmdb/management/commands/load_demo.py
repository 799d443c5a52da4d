from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from filmdb.demo import demo_import, demo_kinostarts, demo_load


class Command(BaseCommand):
    help = (
        'Lädt den Demo-Film "Der Geschmack von Rost und Knochen" mit Besetzung, Kritik und '
        "Angebot, die echten Filme der IMDb-Auszüge und Beispiel-Kinostarts."
    )

    def handle(self, *args, **options) -> None:
        # The real films first: the seed's film, added last, heads the admin's film list.
        try:
            demo_import(out=self.stdout)
        except FileNotFoundError as missing:
            raise CommandError(f"{missing} (die IMDb-Auszüge gehören zum Repository).") from None
        film = demo_load()
        examples = demo_kinostarts()
        self.stdout.write(f"Demo-Film bereit: {film} – {film.get_absolute_url()}")
        self.stdout.write(f"Beispiel-Kinostarts: {len(examples)} – {reverse('kinostarts:current')}")
