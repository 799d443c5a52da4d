"""Everything the film page shows, read in one query.

The film row comes with its genres, credits (with each person's name and slug), reviews,
offers and alternative titles as JSON arrays from correlated subqueries. Six ORM queries
with prefetching took 6.4 ms for a film with 20 credits, most of it building querysets and
model instances; this one, prepared on PostgreSQL, took 0.6 ms with its unpacking
(docs/benchmarks.md). The film, its offers and its reviews become model instances
(the page uses their methods); credits and alternative titles, which can run into the
hundreds, stay light.
"""

import functools
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from django.db import connection

from filmdb.lib.urls import remembered_reverse
from films.models import AlternativeTitle, Film, Genre, Offer, related_manager

EPOCH = datetime.min.replace(tzinfo=UTC)

# The film's columns the page shows, in the model's field order: Model.from_db() reads
# values by that order when some fields are left out.
SHOWN_FIELDS = {
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
    "status",
}
FILM_FIELDS = [
    field.attname for field in Film._meta.concrete_fields if field.attname in SHOWN_FIELDS
]

# json_object / json_group_array are SQLite's names for PostgreSQL's functions. Neither
# database is asked to order inside the aggregate (SQLite before 3.44 cannot): the rows
# are put in order below, as each model's Meta.ordering does.
JSON_FUNCTIONS = {
    "postgresql": {"object": "json_build_object", "array": "json_agg", "as_text": "::text"},
    "sqlite": {"object": "json_object", "array": "json_group_array", "as_text": ""},
}


@dataclass(slots=True)
class CreditLine:
    """One line of "Besetzung und Crew": a person and, for the cast, their German voices."""

    role: str
    name: str
    url: str
    character: str
    voices: list["CreditLine"] = field(default_factory=list)


@dataclass(slots=True)
class FilmPage:
    film: Film
    genres: list[str]
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


@functools.cache
def _role_labels() -> dict[str, str]:
    return dict(related_manager(Film, "credits").model._meta.get_field("role").choices)


@functools.cache
def _sql(vendor: str) -> str:
    fn = JSON_FUNCTIONS[vendor]
    obj, array, as_text = fn["object"], fn["array"], fn["as_text"]
    credit = related_manager(Film, "credits").model
    person = credit._meta.get_field("person").related_model
    review = related_manager(Film, "reviews").model
    genres_table = Film._meta.get_field("genres").remote_field.through._meta.db_table
    columns = ", ".join(f"f.{name}" for name in FILM_FIELDS)
    return f"""
SELECT {columns},
  (SELECT {array}(g.name){as_text}
     FROM {genres_table} fg JOIN {Genre._meta.db_table} g ON g.id = fg.genre_id
    WHERE fg.film_id = f.id),
  (SELECT {array}({obj}('id', c.id, 'role', c.role, 'character', c.character,
                        'voices_id', c.voices_id, 'order', c."order",
                        'name', p.name, 'slug', p.slug)){as_text}
     FROM {credit._meta.db_table} c JOIN {person._meta.db_table} p ON p.id = c.person_id
    WHERE c.film_id = f.id),
  (SELECT {array}({obj}('id', r.id, 'headline', r.headline, 'byline', r.byline,
                        'body', r.body, 'verdict', r.verdict, 'rating', r.rating,
                        'status', r.status, 'published_at', r.published_at)){as_text}
     FROM {review._meta.db_table} r
    WHERE r.film_id = f.id AND (r.status = 'published' OR %(drafts)s)),
  (SELECT {array}({obj}('id', o.id, 'provider', o.provider, 'kind', o.kind, 'url', o.url,
                        'price', o.price, 'position', o.position)){as_text}
     FROM {Offer._meta.db_table} o WHERE o.film_id = f.id),
  (SELECT {array}({obj}('title', a.title, 'region', a.region)){as_text}
     FROM {AlternativeTitle._meta.db_table} a WHERE a.film_id = f.id)
FROM {Film._meta.db_table} f
WHERE f.slug = %(slug)s AND (f.status = 'published' OR %(drafts)s)
"""


def film_page(slug: str, *, with_drafts: bool = False) -> FilmPage | None:
    """The published film at `slug` with all the page shows, or None.

    With drafts (for editors), a draft film is found too, and its draft reviews are shown.
    """
    with connection.cursor() as cursor:
        cursor.execute(_sql(connection.vendor), {"slug": slug, "drafts": with_drafts})
        row = cursor.fetchone()
    if row is None:
        return None
    film = Film.from_db(connection.alias, FILM_FIELDS, row[: len(FILM_FIELDS)])
    genres, credits, reviews, offers, titles = (
        json.loads(value) if value else [] for value in row[len(FILM_FIELDS) :]
    )
    return FilmPage(
        film=film,
        genres=sorted(genres),
        credits=_credit_lines(credits),
        reviews=_reviews(reviews, film),
        offers=[
            Offer(film_id=film.pk, **{**offer, "price": _decimal(offer["price"])})
            for offer in sorted(offers, key=lambda offer: (offer["position"], offer["id"]))
        ],
        alternative_titles=sorted(titles, key=lambda title: (title["region"], title["title"])),
    )


def _credit_lines(credits: list[dict]) -> list[CreditLine]:
    credits.sort(key=lambda credit: (credit["order"], credit["id"]))
    lines = {
        credit["id"]: CreditLine(
            role=credit["role"],
            name=credit["name"],
            url=remembered_reverse("people:detail", slug=credit["slug"]),
            character=credit["character"],
        )
        for credit in credits
    }
    for credit in credits:
        if credit["voices_id"] in lines:
            lines[credit["voices_id"]].voices.append(lines[credit["id"]])
    return [lines[credit["id"]] for credit in credits if not credit["voices_id"]]


def _reviews(reviews: list[dict], film: Film) -> list:
    review_model = related_manager(Film, "reviews").model
    for review in reviews:
        review["published_at"] = _datetime(review["published_at"])
    # Newest first, as Review.Meta.ordering; drafts without a date first, as on PostgreSQL.
    reviews.sort(key=_newest_first, reverse=True)
    return [review_model(film=film, **review) for review in reviews]


def _newest_first(review: dict) -> tuple:
    return (review["published_at"] is None, review["published_at"] or EPOCH, review["id"])


def _datetime(value: str | None) -> datetime | None:
    """A timestamp as JSON: ISO 8601 with offset (PostgreSQL) or naive UTC (SQLite)."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _decimal(value: float | int | str | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))
