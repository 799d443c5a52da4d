from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

USERNAME = "redaktion"
PASSWORD = "filmdb-demo"


class Command(BaseCommand):
    help = (
        "Legt den Demo-Redakteur an (Gruppe Redaktion) und gibt die Zugangsdaten aus. "
        "Nur für lokale Demos: mit DJANGO_DEBUG=0 verweigert."
    )

    def handle(self, *args, **options) -> None:
        # Its password is published in the README: never an account on a production site.
        if not settings.DEBUG:
            raise CommandError(
                "Der Demo-Redakteur ist nur für lokale Demos (DJANGO_DEBUG=1): sein Passwort "
                "steht in der Dokumentation. Lege echte Konten mit "
                "„python manage.py createsuperuser“ oder im Admin an."
            )
        user, created = get_user_model().objects.get_or_create(
            username=USERNAME,
            defaults={"is_staff": True, "first_name": "Demo", "last_name": "Redakteur"},
        )
        if created:
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
            user.groups.add(Group.objects.get(name="Redaktion"))
        self.stdout.write(
            f"Demo-Login für http://127.0.0.1:8000/admin/: Benutzer {USERNAME}, Passwort {PASSWORD}"
            + ("" if created else " (bestand schon; Passwort unverändert)")
        )
