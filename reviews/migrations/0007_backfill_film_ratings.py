"""Each film's average and number of published critics' ratings, for the reviews there
are (films' migration 0012 added the columns)."""

from django.db import migrations, models
from django.db.models import Avg, Count, OuterRef, Subquery
from django.db.models.functions import Coalesce


def rate_films(apps, schema_editor):
    Film = apps.get_model("films", "Film")
    Review = apps.get_model("reviews", "Review")
    rated = Review.objects.filter(film=OuterRef("pk"), status="published", rating__isnull=False)
    ratings = rated.order_by().values("film")
    average = Avg("rating", output_field=models.FloatField())
    Film.objects.filter(pk__in=Review.objects.values("film")).update(
        rating_average=Subquery(ratings.annotate(a=average).values("a")),
        rating_count=Coalesce(Subquery(ratings.annotate(n=Count("pk")).values("n")), 0),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("films", "0012_stored_genre_counts_and_ratings"),
        ("reviews", "0006_newest_index_with_id"),
    ]

    operations = [
        migrations.RunPython(rate_films, migrations.RunPython.noop, elidable=True),
    ]
