from django.apps import AppConfig


class FilmsConfig(AppConfig):
    name = "films"
    verbose_name = "Filme"

    def ready(self) -> None:
        from films.images import track_image_field
        from films.models import Film

        track_image_field(Film, "poster", "poster_width")
