from django.apps import AppConfig


class FilmdbConfig(AppConfig):
    name = "filmdb"
    verbose_name = "filmdb"
