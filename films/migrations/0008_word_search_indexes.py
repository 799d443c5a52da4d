"""Full-text indexes on the folded search columns, on PostgreSQL only.

A search matches the beginnings of words (`search_text__words_start`, see
filmdb/lib/folding.py): `to_tsvector('simple', search_text) @@ 'nacht:*'`, which a GIN
index on that expression serves. It replaces the trigram indexes, which served
`LIKE '%nacht%'` and nothing else now. SQLite has no such index: there this migration
does nothing.
"""

from django.db import migrations

WORD_INDEXES = {
    # Film search by title (`q`), the admin's film search and film autocomplete.
    "films_film_search_words_idx": "films_film",
    # Film search by alternative title ("Der Pate").
    "films_alternativetitle_search_words_idx": "films_alternativetitle",
}
TRIGRAM_INDEXES = {
    "films_film_search_trgm_idx": "films_film",
    "films_alternativetitle_search_trgm_idx": "films_alternativetitle",
}


def use_word_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table in WORD_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            "USING gin (to_tsvector('simple'::regconfig, search_text))"
        )
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def use_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_text gin_trgm_ops)"
        )
    for name in WORD_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("films", "0007_search_ranking")]

    operations = [migrations.RunPython(use_word_indexes, use_trigram_indexes, elidable=False)]
