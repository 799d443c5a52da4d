"""Each person's `published_from`: the moment from which visitors see them, kept right
as their credits and their films' publication change.

The receivers below keep it for saves and deletions (a restore from the history, a raw
save, included); the import and `generate_films` write without signals and run
`publish_people_sql` themselves.
"""

from collections.abc import Iterable

from django.db import connection

from filmdb.lib.publication import PublicationStatus
from films.models import Film
from people.models import Credit, Person


def publish_people_sql(people: str) -> str:
    """SQL that sets `published_from` of the people whose ids the SQL `people` selects
    (the earliest `published_at` of their published films, NULL without one), writing
    only the rows whose moment changes."""
    person, credit, film = Person._meta.db_table, Credit._meta.db_table, Film._meta.db_table
    # A constant of the code, not input: written into the SQL so that `people` keeps
    # the statement's only parameters.
    published = PublicationStatus.PUBLISHED.value
    # Each person's moment is looked up through the credits' index on their person, one
    # person at a time: a join of all of them is planned from statistics, and a table
    # just filled (bulk inserts, tests) has none, which made it read every credit for
    # each person.
    return f"""
        UPDATE {person} SET published_from = moments.first
        FROM (
            SELECT p.id, (
                SELECT MIN(f.published_at)
                FROM {credit} c
                JOIN {film} f ON f.id = c.film_id AND f.status = '{published}'
                WHERE c.person_id = p.id
            ) AS first
            FROM {person} p
            WHERE p.id IN ({people})
        ) AS moments
        WHERE {person}.id = moments.id
            AND {person}.published_from IS DISTINCT FROM moments.first
    """


def publish_people(person_ids: Iterable[int | None]) -> None:
    """Set `published_from` of these people again."""
    person_ids = sorted({pk for pk in person_ids if pk is not None})
    if person_ids:
        with connection.cursor() as cursor:
            cursor.execute(publish_people_sql(", ".join("%s" for _ in person_ids)), person_ids)


def publish_people_of_film(film_id: int) -> None:
    """Set `published_from` again for everyone credited on this film."""
    people = f"SELECT person_id FROM {Credit._meta.db_table} WHERE film_id = %s"
    with connection.cursor() as cursor:
        cursor.execute(publish_people_sql(people), [film_id])


# Receivers (connected in PeopleConfig.ready)


def remember_credit_person(sender, instance: Credit, **kwargs) -> None:
    """Before a credit's save: a credit moved to someone else leaves its former person,
    who may be public no longer."""
    instance._person_before = (
        Credit._base_manager.filter(pk=instance.pk).values_list("person_id", flat=True).first()
        if instance.pk
        else None
    )


def publish_people_of_credit(sender, instance: Credit, **kwargs) -> None:
    """After a credit's save or deletion: its person, and its former person."""
    publish_people([instance.person_id, getattr(instance, "_person_before", None)])


def remember_film_publication(sender, instance: Film, **kwargs) -> None:
    """Before a film's save: its status and moment as stored, to tell whether they change."""
    instance._publication_before = (
        Film._base_manager.filter(pk=instance.pk).values_list("status", "published_at").first()
        if instance.pk
        else None
    )


def publish_people_of_saved_film(
    sender, instance: Film, created: bool, raw: bool, **kwargs
) -> None:
    """After a film's save: its people, when it was published, withdrawn or rescheduled
    (or restored). A film just added has no credits yet, unless restored with them; its
    deletion deletes its credits, whose receiver sees to their people."""
    if created and not raw:
        return
    if getattr(instance, "_publication_before", None) != (instance.status, instance.published_at):
        publish_people_of_film(instance.pk)


def publish_saved_person(sender, instance: Person, created: bool, raw: bool, **kwargs) -> None:
    """After a person's save: a save writes back the moment read with the row, which a
    film published meanwhile, or a restore of an older version, may have made stale. (A
    person just added has no credits yet, unless restored with them.)"""
    if raw or not created:
        publish_people([instance.pk])
