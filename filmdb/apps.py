from django.apps import AppConfig


class FilmdbConfig(AppConfig):
    name = "filmdb"
    verbose_name = "filmdb"

    def ready(self) -> None:
        from filmdb import checks  # noqa: F401  (registers the system checks)
