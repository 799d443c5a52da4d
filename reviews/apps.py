from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Kritiken"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save, pre_save

        from filmdb.lib.page_cache import invalidate_on_change
        from reviews.models import Review, read_stored_review, refresh_films_of_review

        # Shown on public pages: a change to any of them retires the cached pages.
        invalidate_on_change(Review)
        # A film's popularity and ratings count its published reviews; the first
        # publication outlasts what a save or a restore writes.
        pre_save.connect(read_stored_review, sender=Review)
        for signal in (post_save, post_delete):
            signal.connect(refresh_films_of_review, sender=Review, dispatch_uid="review-film")
