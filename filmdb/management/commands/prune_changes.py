from django.core.management.base import BaseCommand

from films.models import Change


class Command(BaseCommand):
    help = (
        "Löscht die Einträge des Änderungs-Feeds (/api/v1/aenderungen/), die älter als "
        "14 Tage sind: so weit reicht der Feed zurück. Etwa einmal am Tag ausführen."
    )

    def handle(self, *args, **options) -> None:
        deleted = Change.objects.prune()
        self.stdout.write(f"Gelöschte Einträge des Änderungs-Feeds (älter als 14 Tage): {deleted}")
