from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Kritiken"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from filmdb.lib.page_cache import invalidate_on_change
        from films.models import refresh_film_popularity
        from reviews.models import Review

        # Shown on public pages: a change to any of them retires the cached pages.
        invalidate_on_change(Review)
        # A film's popularity counts its published reviews.
        for signal in (post_save, post_delete):
            signal.connect(refresh_film_popularity, sender=Review, dispatch_uid="review-popularity")
