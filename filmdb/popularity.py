"""Each film's popularity (Film.popularity), which orders search results within their
relevance: its credits, and REVIEW_WEIGHT for each published review. It counts rows of
two apps, people and reviews, which never import each other: so it is kept here, above
both, and connected to their saves and deletions in filmdb.apps."""

from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from filmdb.lib.publication import PublicationStatus
from films.models import Film
from people.models import Credit
from reviews.models import Review
from reviews.ratings import refresh_ratings

REVIEW_WEIGHT = 10


def _counted(rows: models.QuerySet) -> Coalesce:
    count = rows.filter(film=OuterRef("pk")).order_by().values("film").annotate(n=Count("pk"))
    return Coalesce(Subquery(count.values("n")), 0)


def refresh_popularity(films: models.QuerySet, *, leaving_review: int | None = None) -> int:
    """Count each of `films`' credits and published reviews again into its popularity.
    `leaving_review`: a review not counted, which is about to move to another film."""
    reviews = Review.objects.filter(status=PublicationStatus.PUBLISHED)
    if leaving_review is not None:
        reviews = reviews.exclude(pk=leaving_review)
    return films.update(
        popularity=_counted(Credit.objects.all()) + REVIEW_WEIGHT * _counted(reviews)
    )


def refresh_popularity_of_credit(sender, instance: Credit, **kwargs) -> None:
    """Receiver for the saves and deletions of a credit: its film's popularity."""
    refresh_popularity(Film.objects.filter(pk=instance.film_id))


def release_former_film(sender, instance: Review, **kwargs) -> None:
    """Receiver before a review's save, raw ones (restores from the history) too: when it
    moves to another film, the former film's popularity, counted now without it."""
    if instance.pk is None:
        return
    former = Review._base_manager.filter(pk=instance.pk).values_list("film_id", flat=True).first()
    if former is not None and former != instance.film_id:
        refresh_popularity(Film.objects.filter(pk=former), leaving_review=instance.pk)


def refresh_popularity_of_review(sender, instance: Review, **kwargs) -> None:
    """Receiver for the saves and deletions of a review: its film's popularity."""
    refresh_popularity(Film.objects.filter(pk=instance.film_id))


def count_restored_film(sender, instance: Film, raw: bool, **kwargs) -> None:
    """Receiver for a film's saves: a raw save (a restore from the history, a fixture)
    writes the counts it was stored with; they are counted again from what there is."""
    if raw:
        restored = Film.objects.filter(pk=instance.pk)
        refresh_popularity(restored)
        refresh_ratings(restored)
