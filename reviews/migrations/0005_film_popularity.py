from django.db import migrations

# A film's popularity (films.Film.popularity) counts each published review ten times
# (films.models.REVIEW_WEIGHT); the credits' share is added by people's migration.
COUNT_REVIEWS = """
UPDATE films_film SET popularity = popularity + 10 * (
    SELECT COUNT(*) FROM reviews_review r WHERE r.film_id = films_film.id AND r.status = 'published'
)
WHERE id IN (SELECT film_id FROM reviews_review WHERE status = 'published')
"""


class Migration(migrations.Migration):
    dependencies = [
        ("films", "0007_search_ranking"),
        ("reviews", "0004_visible_text"),
    ]

    operations = [migrations.RunSQL(COUNT_REVIEWS, migrations.RunSQL.noop, elidable=True)]
