"""The moment from which each person is public (Person.published_from), set for the
people there are: the earliest `published_at` of their published films."""

from django.db import migrations, models


def set_published_from(apps, schema_editor):
    person = apps.get_model("people", "Person")._meta.db_table
    credit = apps.get_model("people", "Credit")._meta.db_table
    film = apps.get_model("films", "Film")._meta.db_table
    # One grouped pass over the credits, not a look-up for each person: people without
    # a published film keep NULL, the new column's value.
    schema_editor.execute(
        f"""
        UPDATE {person} SET published_from = firsts.first
        FROM (
            SELECT c.person_id, MIN(f.published_at) AS first
            FROM {credit} c JOIN {film} f ON f.id = c.film_id
            WHERE f.status = 'published'
            GROUP BY c.person_id
        ) AS firsts
        WHERE {person}.id = firsts.person_id
        """
    )
    if schema_editor.connection.vendor == "postgresql":
        # Statistics of the new column: without them the planner guesses a third of all
        # people public, until autovacuum gets round to the table.
        schema_editor.execute(f"ANALYZE {person}")


class Migration(migrations.Migration):
    dependencies = [
        ("films", "0015_scheduled_publishing"),
        ("people", "0011_credits_default_in_the_database"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="published_from",
            field=models.DateTimeField(editable=False, null=True, verbose_name="Öffentlich ab"),
        ),
        migrations.RunPython(set_published_from, migrations.RunPython.noop, elidable=True),
        # After the moments are set: filled once, not kept entry by entry.
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                condition=models.Q(("published_from__isnull", False)),
                fields=["id"],
                include=("published_from",),
                name="people_person_public_idx",
            ),
        ),
    ]
