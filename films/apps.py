from django.apps import AppConfig


class FilmsConfig(AppConfig):
    name = "films"
    verbose_name = "Filme"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

        from filmdb.lib.images import delete_image_files, raw_image_saves
        from filmdb.lib.page_cache import invalidate_on_change
        from films import changes, signals
        from films.models import AlternativeTitle, Film, FilmRedirect, Genre, Offer

        pre_save.connect(raw_image_saves, sender=Film, dispatch_uid="film-images")
        post_delete.connect(delete_image_files, sender=Film, dispatch_uid="film-images")
        # Shown on public pages: a change to any of them retires the cached pages.
        invalidate_on_change(Film, Genre, AlternativeTitle, Offer, FilmRedirect)
        # Each genre's listing of its published films and their number, kept as films
        # and their genres change (a deletion counts them itself: Film.delete).
        post_save.connect(signals.refresh_genres_of_film, sender=Film)
        m2m_changed.connect(signals.refresh_genres_of_change, sender=Film.genres.through)
        # The changes feed's entries (films.models.changes), in the write's transaction.
        pre_save.connect(changes.record_film_to_save, sender=Film)
        post_save.connect(changes.record_added_film, sender=Film)
        post_delete.connect(changes.record_deleted_film, sender=Film)
        post_save.connect(changes.record_old_film_slug, sender=FilmRedirect)
