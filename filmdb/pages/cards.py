"""Film cards: the films of a list (search, browse pages, Kinostarts, Bestenliste, home
page) with what a card shows, read by id in one query."""

from collections.abc import Iterable
from typing import NamedTuple

from django.utils import timezone

from filmdb.lib.replicas import read_connection
from filmdb.lib.subqueries import one_of_named, one_of_value
from filmdb.lib.urls import slug_urls
from films.models import Film, Genre
from people.models import Credit, Person

CARD_FIELDS = {
    "id",
    "title",
    "slug",
    "year",
    "synopsis",
    "poster",
    "poster_width",
    "poster_height",
    "poster_credit",
}
# What a Kinostarts card shows besides (film_cards' `facts`).
CARD_FACTS = {"release_date", "fsk", "runtime"}
CARD_PEOPLE = 3


class CardPerson(NamedTuple):
    """A director or actor named on a film card, with the URL of their page."""

    name: str
    slug: str
    url: str


def film_cards(ids: Iterable[int], *, facts: bool = False) -> list["Film"]:
    """The published films of `ids`, in that order, each with the columns a film card
    shows and its first three directors (`card_directors`) and actors (`card_cast`) by
    billing, as plain names and slugs; with `facts`, also its Kinostart, FSK, runtime
    and its genres' names (`card_genres`), as the Kinostarts show them.

    One query, written out: each film's row comes once for each of its card people. Read
    by the ORM (in_bulk, then a query for the people) a search page's twenty cards took
    two queries and a tenth of the page's time building them. The genres come in a
    second one.
    """
    ids = list(ids)
    if not ids:
        return []
    quote, vendor = read_connection.ops.quote_name, read_connection.vendor
    # In the model's order, as Film.from_db() takes them.
    shown = CARD_FIELDS | CARD_FACTS if facts else CARD_FIELDS
    fields = [field.attname for field in Film._meta.concrete_fields if field.attname in shown]
    columns = ", ".join(f"f.{quote(field)}" for field in fields)
    sql = f"""
        SELECT {columns}, billed.role, p.name, p.slug
        FROM {Film._meta.db_table} f
        LEFT JOIN (
            SELECT film_id, role, person_id, billing FROM {Credit._meta.db_table}
            WHERE {one_of_named("film_id", "%(ids)s", vendor)}
                AND role IN (%(director)s, %(cast)s) AND billing < %(card_people)s
        ) AS billed ON billed.film_id = f.id
        LEFT JOIN {Person._meta.db_table} p ON p.id = billed.person_id
        WHERE {one_of_named("f.id", "%(ids)s", vendor)}
            AND f.status = %(published)s AND f.published_at <= %(now)s  -- visible()
        ORDER BY billed.role, billed.billing
    """
    params = {
        "ids": one_of_value(ids, vendor),
        "director": Credit.Role.DIRECTOR,
        "cast": Credit.Role.CAST,
        "card_people": CARD_PEOPLE,
        "published": Film.Status.PUBLISHED,
        "now": timezone.now(),
    }
    films: dict[int, Film] = {}
    person_url = slug_urls("people:detail")
    with read_connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            *values, role, name, slug = row
            film = films.get(values[0])
            if film is None:
                film = films[values[0]] = Film.from_db(read_connection.alias, fields, values)
                film.card_directors, film.card_cast = [], []
            if role == Credit.Role.DIRECTOR:
                film.card_directors.append(CardPerson(name, slug, person_url(slug)))
            elif role == Credit.Role.CAST:
                film.card_cast.append(CardPerson(name, slug, person_url(slug)))
    if facts:
        for film in films.values():
            film.card_genres = []
        for film_id, name in _genre_names(ids):
            if film_id in films:
                films[film_id].card_genres.append(name)
    return [films[pk] for pk in ids if pk in films]


def _genre_names(film_ids: list[int]) -> list[tuple[int, str]]:
    """(film id, genre name) of the films' genres, by name."""
    sql = f"""
        SELECT fg.film_id, g.name
        FROM {Film.genres.through._meta.db_table} fg
        JOIN {Genre._meta.db_table} g ON g.id = fg.genre_id
        WHERE {one_of_named("fg.film_id", "%(ids)s", read_connection.vendor)}
        ORDER BY g.name
    """
    with read_connection.cursor() as cursor:
        cursor.execute(sql, {"ids": one_of_value(film_ids, read_connection.vendor)})
        return cursor.fetchall()
