"""The critics' ratings each film keeps (Film.rating_average, rating_count and
ratings_due_at): counted again when a review is saved or deleted, and when a review
scheduled for later becomes visible."""

from django.db import models
from django.db.models import Avg, Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from filmdb.lib.publication import CurrentMoment, PublicationStatus, visible
from films.models import Film, GenreListing
from reviews.models import Review


def refresh_ratings(films: models.QuerySet, *, leaving: int | None = None) -> int:
    """Average and count each of `films`' visible critics' ratings again, and note when a
    review scheduled for later makes them due again. `leaving`: a review not counted,
    which is about to move to another film."""
    reviews = Review.objects.filter(film=OuterRef("pk"), rating__isnull=False)
    if leaving is not None:
        reviews = reviews.exclude(pk=leaving)
    ratings = reviews.filter(visible()).order_by().values("film")
    later = reviews.filter(status=PublicationStatus.PUBLISHED, published_at__gt=CurrentMoment())
    # The due moment first, as in refresh_film_counts(): never neither.
    rated = films.update(
        ratings_due_at=Subquery(later.order_by("published_at").values("published_at")[:1]),
        rating_average=Subquery(
            ratings.annotate(a=Avg("rating", output_field=models.FloatField())).values("a")
        ),
        rating_count=Coalesce(Subquery(ratings.annotate(n=Count("pk")).values("n")), 0),
    )
    GenreListing.objects.refresh(film__in=films)
    return rated


def refresh_due_ratings() -> int:
    """Rate again the films one of whose scheduled reviews has become visible (found
    through films_film_ratings_due_idx; until then one look that finds nothing)."""
    due = Film.objects.filter(ratings_due_at__lte=CurrentMoment()).values_list("pk", flat=True)
    due = list(due)
    return refresh_ratings(Film.objects.filter(pk__in=due)) if due else 0
