"""Each credit's place among its film's credits of the same role (Credit.billing), set
for the credits there are."""

from django.db import migrations, models


def set_billing(apps, schema_editor):
    table = apps.get_model("people", "Credit")._meta.db_table
    order = schema_editor.connection.ops.quote_name("order")
    schema_editor.execute(
        f"""
        UPDATE {table} SET billing = billed.billing
        FROM (
            SELECT id, ROW_NUMBER() OVER (
                PARTITION BY film_id, role ORDER BY {order}, id
            ) - 1 AS billing
            FROM {table}
        ) AS billed
        WHERE {table}.id = billed.id AND {table}.billing <> billed.billing
        """
    )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0008_word_search_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="credit",
            name="billing",
            field=models.PositiveIntegerField(
                default=0, editable=False, verbose_name="Platz in der Funktion"
            ),
        ),
        migrations.RunPython(set_billing, migrations.RunPython.noop, elidable=True),
    ]
