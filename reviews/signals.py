"""The reviews app's receivers, connected in ReviewsConfig.ready: each review's first
publication, and its film's ratings (reviews/ratings.py). None carries anything from
before a save to after it: what needs the row as stored is done before the save."""

from django.db.models.signals import post_delete

from films.changes import record_film_changed
from films.models import Film
from reviews.models import Review
from reviews.ratings import refresh_ratings


def before_review_save(sender, instance: Review, **kwargs) -> None:
    """Before every save of a review, raw ones (restores from the history, fixtures) too:
    its first publication, which its stored value keeps; and when it moves to another
    film, the former film's ratings, counted now without it."""
    stored = (
        Review._base_manager.filter(pk=instance.pk).values_list("film_id", "first_published_at")
        if instance.pk
        else Review.objects.none()
    ).first()
    former_film, first_published_at = stored or (None, None)
    instance.stamp_first_publication(first_published_at)
    if former_film is not None and former_film != instance.film_id:
        refresh_ratings(Film.objects.filter(pk=former_film), leaving=instance.pk)


def refresh_ratings_of_review(sender, instance: Review, **kwargs) -> None:
    """After a review's save or deletion: its film's ratings."""
    refresh_ratings(Film.objects.filter(pk=instance.film_id))


def record_film_of_review(sender, instance: Review, **kwargs) -> None:
    """After a review's save or deletion: its film's entry in the changes feed (its
    reviews and ratings), and one at the moment a review scheduled for later appears."""
    scheduled = instance.is_scheduled and kwargs.get("signal") is not post_delete
    record_film_changed(instance.film_id, later=[instance.published_at] if scheduled else [])
