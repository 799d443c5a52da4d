"""The people app's receivers, connected in PeopleConfig.ready: each credit's billing,
and the moment from which each person is public (people/visibility.py). None carries
anything from before a save to after it: what needs the row as stored is done before
the save."""

from filmdb.lib.publication import PublicationStatus
from films.models import Film
from people.models import Credit, Person, rebill_films
from people.visibility import publish_people, publish_people_of_film


def rebill_credit_film(sender, instance: Credit, **kwargs) -> None:
    """Receiver for the saves and deletions of a credit."""
    rebill_films([instance.film_id])


def release_former_person(sender, instance: Credit, **kwargs) -> None:
    """Before a credit's save, raw ones (restores from the history) too: a credit that
    moves to someone else leaves its former person, who may be public no longer,
    counted now without it."""
    if instance.pk is None:
        return
    stored = Credit._base_manager.filter(pk=instance.pk).values_list("person_id", flat=True)
    former = stored.first()
    if former is not None and former != instance.person_id:
        publish_people([former], leaving=instance.pk)


def publish_person_of_credit(sender, instance: Credit, **kwargs) -> None:
    """After a credit's save or deletion: its person."""
    publish_people([instance.person_id])


def publish_people_of_film_to_save(sender, instance: Film, **kwargs) -> None:
    """Before a film's save, raw ones (restores from the history) too: when its status or
    moment of publication changes, its people's moments, counted now with the film as it
    is saved. A film just added has no credits yet; its deletion deletes its credits,
    whose receiver sees to their people."""
    if instance.pk is None:
        return
    stored = Film._base_manager.filter(pk=instance.pk).values_list("status", "published_at")
    stored = stored.first()
    if stored is None or stored == (instance.status, instance.published_at):
        return
    published = instance.status == PublicationStatus.PUBLISHED
    publish_people_of_film(instance.pk, moment=instance.published_at if published else None)


def publish_saved_person(sender, instance: Person, created: bool, raw: bool, **kwargs) -> None:
    """After a person's save: a save writes back the moment read with the row, which a
    film published meanwhile, or a restore of an older version, may have made stale. (A
    person just added has no credits yet, unless restored with them.)"""
    if raw or not created:
        publish_people([instance.pk])
