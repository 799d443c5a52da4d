from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "Personen"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save, pre_save

        from filmdb.lib.images import delete_image_files, raw_image_saves
        from filmdb.lib.page_cache import invalidate_on_change
        from films.models import Film
        from people import changes, signals
        from people.models import Credit, Person, PersonRedirect

        pre_save.connect(raw_image_saves, sender=Person, dispatch_uid="person-images")
        post_delete.connect(delete_image_files, sender=Person, dispatch_uid="person-images")
        # Shown on public pages: a change to any of them retires the cached pages.
        invalidate_on_change(Person, PersonRedirect, Credit)
        # The billing of each credit of the film (Credit.billing).
        for signal in (post_save, post_delete):
            signal.connect(signals.rebill_credit_film, sender=Credit, dispatch_uid="credit-billing")
        # The moment from which each person is public (Person.published_from): their
        # credits and their films' publication decide it.
        pre_save.connect(signals.release_former_person, sender=Credit)
        for signal in (post_save, post_delete):
            signal.connect(signals.publish_person_of_credit, sender=Credit)
        pre_save.connect(signals.publish_people_of_film_to_save, sender=Film)
        post_save.connect(signals.publish_saved_person, sender=Person)
        # The changes feed's entries (films.models.changes) of people, besides those
        # people.visibility writes with their moment: a credit changes its film too.
        for signal in (post_save, post_delete):
            signal.connect(changes.record_film_of_credit, sender=Credit)
        post_delete.connect(changes.record_deleted_person, sender=Person)
        post_save.connect(changes.record_old_person_slug, sender=PersonRedirect)
