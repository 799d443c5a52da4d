"""A full-text index on the beginnings of the words of people's folded names, on
PostgreSQL only.

Searching films by director or actor, the people search and the autocomplete match the
beginnings of words (`search_text__words_start`, see filmdb/lib/folding.py), which a GIN
index on `to_tsvector('simple', filmdb_word_beginnings(search_text))` serves (the
function: films' migration of the same name). The trigram index stays for the "Meintest
du …?" suggestion (trigram similarity). On SQLite this does nothing.
"""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS people_person_search_words_idx ON people_person "
        "USING gin (to_tsvector('simple'::regconfig, filmdb_word_beginnings(search_text)))"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS people_person_search_words_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("films", "0008_word_search_indexes"),
        ("people", "0007_film_popularity"),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
