from django.db import migrations

# A film's popularity (films.Film.popularity) counts its credits; the reviews' share is
# added by reviews' migration of the same name.
COUNT_CREDITS = """
UPDATE films_film SET popularity = popularity + (
    SELECT COUNT(*) FROM people_credit c WHERE c.film_id = films_film.id
)
WHERE id IN (SELECT film_id FROM people_credit)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("films", "0007_search_ranking"),
        ("people", "0006_imdb_id_field"),
    ]

    operations = [migrations.RunSQL(COUNT_CREDITS, migrations.RunSQL.noop, elidable=True)]
