"""Full-text indexes on the beginnings of the folded search columns' words, on
PostgreSQL only.

A search matches the beginnings of words (`search_text__words_start`, see
filmdb/lib/folding.py). `filmdb_word_beginnings(search_text)` spells out each word's
beginnings from three letters on ("rost knochen" -> "ros rost kno knoc knoch knoche
knochen"), and a GIN index on `to_tsvector('simple', …)` of it finds a typed word as one
whole lexeme: two common title words took 5 ms instead of 18 ms as prefix terms
(`nacht:*`). The index replaces the trigram indexes, which served `LIKE '%nacht%'` and
nothing else now. SQLite has no such index: there this migration does nothing.
"""

from django.db import migrations

WORD_BEGINNINGS = """
CREATE OR REPLACE FUNCTION filmdb_word_beginnings(text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT string_agg(left(word, n), ' ')
    FROM unnest(string_to_array($1, ' ')) AS word,
        generate_series(3, greatest(length(word), 3)) AS n
$$
"""
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
    schema_editor.execute(WORD_BEGINNINGS)
    for name, table in WORD_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            "USING gin (to_tsvector('simple'::regconfig, filmdb_word_beginnings(search_text)))"
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
