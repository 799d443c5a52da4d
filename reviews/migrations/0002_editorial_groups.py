"""Create the groups "Redaktion" (all content) and "Kritik" (own reviews only)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_APPS = ["films", "people", "reviews"]

# Critics write reviews and pick the film by autocomplete, which needs to view films.
CRITIC_PERMISSIONS = [
    ("reviews", "add_review"),
    ("reviews", "change_review"),
    ("reviews", "view_review"),
    ("films", "view_film"),
]


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations ran; make them exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    editors, _ = Group.objects.get_or_create(name="Redaktion")
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=CONTENT_APPS)
    )

    critics, _ = Group.objects.get_or_create(name="Kritik")
    for app_label, codename in CRITIC_PERMISSIONS:
        critics.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Redaktion", "Kritik"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("films", "0001_initial"),
        ("people", "0001_initial"),
        ("reviews", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]
