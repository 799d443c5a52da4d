from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

USERNAME = "redaktion"
PASSWORD = "filmdb-demo"


class Command(BaseCommand):
    help = "Legt den Demo-Redakteur an (Gruppe Redaktion) und gibt die Zugangsdaten aus."

    def handle(self, *args, **options) -> None:
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
