from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "Personen"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save, pre_save

        from filmdb.lib.images import track_image_field
        from filmdb.lib.page_cache import invalidate_on_change
        from films.models import Film, refresh_film_popularity
        from people import visibility
        from people.models import Credit, Person, PersonRedirect, rebill_credit_film

        track_image_field(Person, "photo", "photo_width")
        # Shown on public pages: a change to any of them retires the cached pages.
        invalidate_on_change(Person, PersonRedirect, Credit)
        # A film's popularity counts its credits.
        for signal in (post_save, post_delete):
            signal.connect(refresh_film_popularity, sender=Credit, dispatch_uid="credit-popularity")
            # The billing of each credit of the film (Credit.billing).
            signal.connect(rebill_credit_film, sender=Credit, dispatch_uid="credit-billing")
        # The moment from which each person is public (Person.published_from): their
        # credits and their films' publication decide it.
        pre_save.connect(visibility.remember_credit_person, sender=Credit)
        pre_save.connect(visibility.remember_film_publication, sender=Film)
        for signal in (post_save, post_delete):
            signal.connect(visibility.publish_people_of_credit, sender=Credit)
        post_save.connect(visibility.publish_people_of_saved_film, sender=Film)
        post_save.connect(visibility.publish_saved_person, sender=Person)
