from django.apps import AppConfig


class FilmdbConfig(AppConfig):
    name = "filmdb"
    verbose_name = "filmdb"

    def ready(self) -> None:
        from filmdb import checks  # noqa: F401  (registers the system checks)
        from filmdb.lib.page_cache import invalidate_on_change
        from filmdb.models import InfoPage

        # Linked from every page's footer: a change retires the cached pages.
        invalidate_on_change(InfoPage)
