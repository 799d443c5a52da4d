from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Kritiken"

    def ready(self) -> None:
        from filmdb.lib.page_cache import invalidate_on_change
        from reviews.models import Review

        # Shown on public pages: a change to any of them retires the cached pages.
        invalidate_on_change(Review)
