from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "Personen"

    def ready(self) -> None:
        from films.images import track_image_field
        from people.models import Person

        track_image_field(Person, "photo", "photo_width")
