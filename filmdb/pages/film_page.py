"""Everything the film page shows, read in one query.

The film row comes with its genres, credits (with each person's name and slug), reviews,
offers and alternative titles as JSON arrays from correlated subqueries. The ORM builds
the query (JSONObject rows gathered by JSONGroupArray, which compiles to each database's
aggregate), once per process; a plain cursor runs it and its columns are read by name.
Six ORM queries with prefetching took 6.4 ms for a film with 20 credits, most of it
building querysets and model instances; this one, prepared on PostgreSQL, takes 1.2 to
1.9 ms with its unpacking on a loaded machine (docs/benchmarks.md). The film, its offers
and its reviews become model instances (the page uses their methods); credits and
alternative titles, which can run into the hundreds, stay light.
"""

import functools
import json
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import NamedTuple

from django.db import connections, models
from django.db.models import DEFERRED, OuterRef, Subquery
from django.db.models.functions import JSONObject

from filmdb.lib.json_agg import JSONGroupArray
from filmdb.lib.publication import MOMENT, moment_param, moment_stand_in
from filmdb.lib.replicas import reading_alias
from filmdb.lib.urls import remembered_reverse
from films.models import AlternativeTitle, Film, Genre, Offer
from people.models import Credit
from reviews.models import Review

EPOCH = datetime.min.replace(tzinfo=UTC)
# Stands for the slug among the parameters of the query compiled once.
SLUG = "film page slug"
# Decimal: prices exact, as a DecimalField reads them (3.99 is no float's value).
JSON = json.JSONDecoder(parse_float=Decimal)

# What the page shows of each model; the rest of a film is deferred, of an offer or a
# review left at its default.
FILM_FIELDS = [
    "id",
    "title",
    "original_title",
    "slug",
    "year",
    "release_date",
    "runtime",
    "fsk",
    "countries",
    "distributor",
    "synopsis",
    "plot",
    "background",
    "poster",
    "poster_width",
    "poster_height",
    "poster_credit",
    "poster_credit_note",
    "status",
    "published_at",
    "rating_average",
    "rating_count",
    "imdb_id",
]
OFFER_FIELDS = ["id", "provider", "kind", "url", "price", "position"]
REVIEW_FIELDS = [
    "id",
    "headline",
    "byline",
    "body",
    "verdict",
    "rating",
    "status",
    "published_at",
    "first_published_at",
]


@dataclass(slots=True)
class CreditLine:
    """One line of "Besetzung und Crew": a person and, for the cast, their German voices."""

    role: str
    name: str
    slug: str
    url: str
    character: str
    voices: list["CreditLine"] = field(default_factory=list)


class GenreLink(NamedTuple):
    name: str
    url: str
    slug: str


@dataclass(slots=True)
class FilmPage:
    film: Film
    genres: list["GenreLink"]
    credits: list[CreditLine]  # voices are in their cast member's line, not here
    reviews: list
    offers: list[Offer]
    alternative_titles: list[dict]

    def cast_and_crew(self) -> list[tuple[str, list[CreditLine]]]:
        """(heading, credits) in the order of Credit.Role, whose labels are the headings."""
        labels = _role_labels()
        groups: dict[str, list[CreditLine]] = {role: [] for role in labels}
        for credit in self.credits:
            groups[credit.role].append(credit)
        return [(labels[role], lines) for role, lines in groups.items() if lines]

    def with_role(self, role: str) -> list[CreditLine]:
        return [credit for credit in self.credits if credit.role == role]

    def rating_stars(self) -> int:
        """The critics' average in whole stars, halves rounded up, as the Bestenliste shows
        it (Jinja's round() would take 4.5 to 4)."""
        return math.floor(self.film.rating_average + 0.5)


@functools.cache
def _role_labels() -> dict[str, str]:
    return dict(Credit.Role.choices)


def film_page(slug: str, *, with_drafts: bool = False) -> FilmPage | None:
    """The published film at `slug` with all the page shows, or None.

    With drafts (for editors), a draft film is found too, and its draft reviews are shown.
    """
    # The request's database: a replica that has caught up, or the primary.
    db = connections[reading_alias()]
    query = _query(db.vendor, with_drafts=with_drafts)
    params = [*query.params]
    params[query.slug_index] = slug
    moment = moment_param(db)
    for index in query.moment_indexes:
        params[index] = moment
    # A plain cursor: Film.objects.raw() would map the same columns by name, but took a
    # third of a millisecond longer.
    with db.cursor() as cursor:
        cursor.execute(query.sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    columns = dict(zip(query.columns, row, strict=True))
    film = Film.from_db(
        db.alias,
        None,
        [columns.get(model_field.column, DEFERRED) for model_field in Film._meta.concrete_fields],
    )
    if film.published_at is not None and film.published_at.tzinfo is None:
        # A plain cursor on SQLite reads timestamps in UTC without an offset.
        film.published_at = film.published_at.replace(tzinfo=UTC)
    genres, credits, reviews, offers, titles = (
        JSON.decode(columns[name])
        for name in [
            "genre_rows",
            "credit_rows",
            "review_rows",
            "offer_rows",
            "alternative_title_rows",
        ]
    )
    reviews = [_instance(Review, row, film=film) for row in reviews]
    offers = [_instance(Offer, row, film=film) for row in offers]
    # Each list in its model's Meta.ordering: neither database orders inside the arrays.
    return FilmPage(
        film=film,
        genres=[
            GenreLink(
                row["name"], remembered_reverse("browse:genre", slug=row["slug"]), row["slug"]
            )
            for row in sorted(genres, key=lambda row: row["name"])
        ],
        credits=_credit_lines(credits),
        reviews=sorted(reviews, key=_newest_first, reverse=True),
        offers=sorted(offers, key=lambda offer: (offer.position, offer.pk)),
        alternative_titles=sorted(titles, key=lambda title: (title["region"], title["title"])),
    )


@dataclass(frozen=True, slots=True)
class CompiledQuery:
    sql: str
    params: tuple
    slug_index: int  # where the slug goes among the parameters
    moment_indexes: tuple[int, ...]  # where the current moment goes (visible())
    columns: list[str]  # the name of each column, in the order of the row


@functools.cache
def _query(vendor: str, *, with_drafts: bool) -> CompiledQuery:
    """The page's query for this database (`vendor`), compiled once: building and
    compiling the queryset took 8 ms on every request, ten times as long as running it."""
    compiler = _film_with_rows(SLUG, with_drafts=with_drafts).query.get_compiler(
        connection=connections[reading_alias()]
    )
    with moment_stand_in():
        sql, params = compiler.as_sql()
    return CompiledQuery(
        sql=sql,
        params=params,
        slug_index=params.index(SLUG),
        moment_indexes=tuple(index for index, param in enumerate(params) if param == MOMENT),
        # The film's columns, then the annotations, as as_sql() selected them.
        columns=[alias or column.target.column for column, _, alias in compiler.select],
    )


def _film_with_rows(slug: str, *, with_drafts: bool) -> models.QuerySet:
    films = Film.objects.all() if with_drafts else Film.objects.published()
    reviews = Review.objects.all()
    if not with_drafts:
        reviews = reviews.published()
    return (
        films.filter(slug=slug)
        .order_by()
        .only(*FILM_FIELDS)
        .annotate(
            genre_rows=Subquery(
                Genre.objects.filter(films=OuterRef("pk"))
                .order_by()
                .values(rows=JSONGroupArray(JSONObject(name="name", slug="slug")))
            ),
            credit_rows=_rows(
                Credit.objects,
                "id",
                "role",
                "character",
                "voices_id",
                "order",
                name="person__name",
                slug="person__slug",
            ),
            review_rows=_rows(reviews, *REVIEW_FIELDS),
            offer_rows=_rows(Offer.objects, *OFFER_FIELDS),
            alternative_title_rows=_rows(AlternativeTitle.objects, "title", "region"),
        )
    )


def _rows(queryset, *names: str, **expressions) -> Subquery:
    """The film's rows of `queryset` as a JSON array of objects: the fields `names`, and
    `expressions` under their keys."""
    fields = {name: name for name in names} | expressions
    return Subquery(
        queryset.filter(film=OuterRef("pk"))
        .order_by()
        .values(rows=JSONGroupArray(JSONObject(**fields)))
    )


def _instance(model: type[models.Model], row: dict, **related) -> models.Model:
    """A model instance from a JSON object of field values, each read by its field: JSON
    has no dates or decimals."""
    values = {name: _from_json(model._meta.get_field(name), value) for name, value in row.items()}
    return model(**values, **related)


def _from_json(model_field: models.Field, value):
    value = model_field.to_python(value)
    if isinstance(value, datetime) and value.tzinfo is None:
        # SQLite keeps timestamps in UTC without an offset; PostgreSQL's JSON has one.
        return value.replace(tzinfo=UTC)
    return value


def _credit_lines(credits: list[dict]) -> list[CreditLine]:
    credits.sort(key=lambda credit: (credit["order"], credit["id"]))
    lines = {
        credit["id"]: CreditLine(
            role=credit["role"],
            name=credit["name"],
            slug=credit["slug"],
            url=remembered_reverse("people:detail", slug=credit["slug"]),
            character=credit["character"],
        )
        for credit in credits
    }
    for credit in credits:
        if credit["voices_id"] in lines:
            lines[credit["voices_id"]].voices.append(lines[credit["id"]])
    return [lines[credit["id"]] for credit in credits if not credit["voices_id"]]


def _newest_first(review: models.Model) -> tuple:
    # As Review.Meta.ordering; drafts without a date first, as PostgreSQL sorts NULLs.
    return (review.published_at is None, review.published_at or EPOCH, review.pk)
