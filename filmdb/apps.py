from django.apps import AppConfig


class FilmdbConfig(AppConfig):
    name = "filmdb"
    verbose_name = "filmdb"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save, pre_save

        from filmdb import (
            checks,  # noqa: F401  (registers the system checks)
            popularity,
        )
        from filmdb.lib.page_cache import invalidate_on_change, publishes_later
        from filmdb.models import InfoPage
        from filmdb.pages.schedule import next_publication
        from films.models import Film
        from people.models import Credit
        from reviews.models import Review

        # Linked from every page's footer: a change retires the cached pages.
        invalidate_on_change(InfoPage)
        # Films and reviews scheduled for later change pages when their moment comes.
        publishes_later(next_publication)
        # A film's popularity counts its credits and published reviews; a film restored
        # from the history is counted again.
        for signal in (post_save, post_delete):
            signal.connect(popularity.refresh_popularity_of_credit, sender=Credit)
            signal.connect(popularity.refresh_popularity_of_review, sender=Review)
        pre_save.connect(popularity.release_former_film, sender=Review)
        post_save.connect(popularity.count_restored_film, sender=Film)
