"""Each person's `published_from`: the moment from which visitors see them, kept right
as their credits and their films' publication change.

people/signals.py keeps it for saves and deletions (a restore from the history, a raw
save, included); the import and `generate_films` write without signals and run
`publish_people_sql` themselves.
"""

import datetime
from collections.abc import Iterable

from django.db import connection
from django.db.models.expressions import RawSQL

from filmdb.lib.publication import PublicationStatus
from films.models import Film
from people.changes import public_people, record_people
from people.models import Credit, Person


def publish_people_sql(
    people: str,
    *,
    leaving: int | None = None,
    film_as: tuple[int, datetime.datetime | None] | None = None,
) -> tuple[str, list]:
    """SQL that sets `published_from` of the people whose ids the SQL `people` selects
    (the earliest `published_at` of their published films, NULL without one), writing
    only the rows whose moment changes; and the parameters that come before `people`'s
    own. For a save about to happen: `leaving`, a credit not counted, which is about to
    leave its person; `film_as`, (film id, moment) of a film about to be saved, its
    moment if it will be published, else None."""
    person, credit = Person._meta.db_table, Credit._meta.db_table
    # Each credit's film as films' model reads it: its moment, if it is published.
    moment, params = (
        Film._base_manager.filter(pk=RawSQL("c.film_id", ()), status=PublicationStatus.PUBLISHED)
        .order_by()
        .values("published_at")
        .query.sql_with_params()
    )
    moment, params = f"({moment})", list(params)
    if film_as is not None:
        film_id, film_moment = film_as
        value = (
            "CAST(%s AS TIMESTAMP WITH TIME ZONE)" if connection.vendor == "postgresql" else "%s"
        )
        moment = f"CASE WHEN c.film_id = %s THEN {value} ELSE {moment} END"
        params = [film_id, connection.ops.adapt_datetimefield_value(film_moment), *params]
    # Each person's moment is looked up through the credits' index on their person, one
    # person at a time: a join of all of them is planned from statistics, and a table
    # just filled (bulk inserts, tests) has none, which made it read every credit for
    # each person.
    sql = f"""
        UPDATE {person} SET published_from = moments.first
        FROM (
            SELECT p.id, (
                SELECT MIN({moment}) FROM {credit} c
                WHERE c.person_id = p.id{" AND c.id <> %s" if leaving is not None else ""}
            ) AS first
            FROM {person} p
            WHERE p.id IN ({people})
        ) AS moments
        WHERE {person}.id = moments.id
            AND {person}.published_from IS DISTINCT FROM moments.first
    """
    return sql, [*params, *([leaving] if leaving is not None else [])]


def publish_people(person_ids: Iterable[int | None], *, leaving: int | None = None) -> None:
    """Set `published_from` of these people again (without the credit `leaving`), and
    write their entries in the changes feed."""
    person_ids = sorted({pk for pk in person_ids if pk is not None})
    if person_ids:
        were_public = public_people(person_ids)
        with connection.cursor() as cursor:
            sql, params = publish_people_sql(", ".join("%s" for _ in person_ids), leaving=leaving)
            cursor.execute(sql, [*params, *person_ids])
        record_people(person_ids, were_public=were_public, leaving=leaving)


def publish_people_of_film(film_id: int, *, moment: datetime.datetime | None) -> None:
    """Set `published_from` again for everyone credited on this film, before a save of
    the film that makes `moment` its moment of publication (None: not published), and
    write their entries in the changes feed: their filmography changes with it."""
    person_ids = set(Credit.objects.filter(film_id=film_id).values_list("person_id", flat=True))
    if not person_ids:
        return
    were_public = public_people(person_ids)
    people = f"SELECT person_id FROM {Credit._meta.db_table} WHERE film_id = %s"
    with connection.cursor() as cursor:
        sql, params = publish_people_sql(people, film_as=(film_id, moment))
        cursor.execute(sql, [*params, film_id])
    record_people(person_ids, were_public=were_public, film_as=(film_id, moment))
