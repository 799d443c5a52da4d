from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "Personen"

    def ready(self) -> None:
        from filmdb.lib.images import track_image_field
        from filmdb.lib.page_cache import invalidate_on_change
        from people.models import Credit, Person, PersonRedirect

        track_image_field(Person, "photo", "photo_width")
        # Shown on public pages: a change to any of them retires the cached pages.
        invalidate_on_change(Person, PersonRedirect, Credit)
