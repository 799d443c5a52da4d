from django.apps import AppConfig


class FilmdbConfig(AppConfig):
    name = "filmdb"
    verbose_name = "filmdb"

    def ready(self) -> None:
        from filmdb import checks  # noqa: F401  (registers the system checks)
        from filmdb.page_cache import invalidate_on_change
        from films.models import AlternativeTitle, Film, FilmRedirect, Genre, Offer
        from people.models import Credit, Person, PersonRedirect
        from reviews.models import Review

        # Everything a public page shows: a change to any of these retires cached pages.
        invalidate_on_change(
            Film, Genre, AlternativeTitle, Offer, FilmRedirect,
            Person, PersonRedirect, Credit, Review,
        )  # fmt: skip
