from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Kritiken"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save, pre_save

        from filmdb.lib.page_cache import invalidate_on_change
        from reviews import signals
        from reviews.models import Review

        # Shown on public pages: a change to any of them retires the cached pages.
        invalidate_on_change(Review)
        # A film's ratings count its visible reviews (and its former film's, when a review
        # moves); the first publication outlasts what a save or a restore writes.
        pre_save.connect(signals.before_review_save, sender=Review)
        for signal in (post_save, post_delete):
            signal.connect(
                signals.refresh_ratings_of_review, sender=Review, dispatch_uid="review-ratings"
            )
        # The changes feed lists the film whose reviews changed (films.models.changes).
        for signal in (post_save, post_delete):
            signal.connect(signals.record_film_of_review, sender=Review)
