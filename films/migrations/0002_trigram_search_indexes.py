"""Trigram indexes on the folded search columns, on PostgreSQL only.

`search_text LIKE '%word%'` (Django's `contains` on the already-folded column) is served
by a pg_trgm GIN index; without it every title search and autocomplete reads the whole
table. SQLite has no such index type: there this migration does nothing.
"""

from django.db import migrations

INDEXES = {
    # Film search by title (`q`), the admin's film search and film autocomplete.
    "films_film_search_trgm_idx": "films_film",
    # Film search by alternative title ("Der Pate").
    "films_alternativetitle_search_trgm_idx": "films_alternativetitle",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_text gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("films", "0001_initial")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
