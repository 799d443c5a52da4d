from django.apps import AppConfig


class FilmsConfig(AppConfig):
    name = "films"
    verbose_name = "Filme"

    def ready(self) -> None:
        from filmdb.lib.images import track_image_field
        from filmdb.lib.page_cache import invalidate_on_change
        from films.models import AlternativeTitle, Film, FilmRedirect, Genre, Offer

        track_image_field(Film, "poster", "poster_width")
        # Shown on public pages: a change to any of them retires the cached pages.
        invalidate_on_change(Film, Genre, AlternativeTitle, Offer, FilmRedirect)
