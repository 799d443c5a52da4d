"""The Redaktion writes the Impressum and the privacy notice: it may add, change and view
them. Deleting one is left to administrators, as the footer of every page links both."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["add_infopage", "change_infopage", "view_infopage"]


def allow_redaktion(apps, schema_editor):
    # Permissions are normally created after all migrations ran; make them exist now.
    app_config = apps.get_app_config("filmdb")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Redaktion")
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label="filmdb", codename__in=CODENAMES)
    )


def disallow_redaktion(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name="Redaktion"):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="filmdb", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("filmdb", "0001_info_pages"),
        ("reviews", "0002_editorial_groups"),
    ]

    operations = [migrations.RunPython(allow_redaktion, disallow_redaktion)]
