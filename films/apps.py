from django.apps import AppConfig


class FilmsConfig(AppConfig):
    name = "films"
    verbose_name = "Filme"

    def ready(self) -> None:
        from django.db.models.signals import (
            m2m_changed,
            post_delete,
            post_save,
            pre_delete,
            pre_save,
        )

        from filmdb.lib.images import track_image_field
        from filmdb.lib.page_cache import invalidate_on_change, publishes_later
        from films import models
        from films.models import AlternativeTitle, Film, FilmRedirect, Genre, Offer

        track_image_field(Film, "poster", "poster_width")
        # Shown on public pages: a change to any of them retires the cached pages.
        invalidate_on_change(Film, Genre, AlternativeTitle, Offer, FilmRedirect)
        # Films and reviews scheduled for later change pages when their moment comes.
        publishes_later(models.next_publication)
        # Each genre's listing of its published films and their number, kept as films
        # and their genres change.
        pre_save.connect(models.remember_listing_before, sender=Film)
        pre_delete.connect(models.keep_genres_of_deleted_film, sender=Film)
        for signal in (post_save, post_delete):
            signal.connect(models.refresh_genres_of_film, sender=Film)
        m2m_changed.connect(models.refresh_genres_of_change, sender=Film.genres.through)
        post_save.connect(models.count_restored_film, sender=Film)
