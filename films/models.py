import contextlib
import contextvars
import datetime
import functools
import itertools
import operator
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import connection, models
from django.db.models import Avg, Count, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from filmdb.lib.fields import ImdbIdField, imdb_id_format_constraint
from filmdb.lib.folding import (
    filter_folded,
    fold_for_search,
    fold_title,
    folded_condition,
    german_slugify,
    query_words,
)
from filmdb.lib.images import SafeImageField, image_credit_field, image_credit_note_field
from filmdb.lib.locking import Versioned
from filmdb.lib.publication import CurrentMoment, PublicationStatus, Scheduled, visible
from filmdb.lib.slugs import SlugRedirect
from filmdb.lib.subqueries import AnyOf, OneOf, one_of
from filmdb.lib.urls import remembered_reverse, slug_urls
from filmdb.lib.validators import validate_visible_text

if TYPE_CHECKING:
    from films.search import PeopleFound

FIRST_FILM_YEAR = 1870
LAST_FILM_YEAR = 2100

# Newest films first, films without a year last. The same expressions make up the index
# that serves this order; NULLS LAST is avoided because SQLite cannot index it.
NEWEST_FIRST = (Coalesce("year", 0).desc(), models.F("id").desc())
# The Bestenliste's order, of films and of genre listings (each adds its film's id): the
# best average first, ties to more ratings, then the title.
BEST_FIRST = ("-rating_average", "-rating_count", "title")
# A film's popularity: its credits, and this many for each published review.
REVIEW_WEIGHT = 10

http_url_validator = URLValidator(
    schemes=["http", "https"],
    message="Geben Sie eine Adresse ein, die mit http:// oder https:// beginnt.",
)


class GenreQuerySet(models.QuerySet):
    def refresh_film_counts(self) -> int:
        """Count each genre's visible films again into its `film_count`, and note when a
        film scheduled for later makes the count due again: from the genre's listing
        (GenreListing), which its page reads too, in index order."""
        listed = GenreListing.objects.filter(genre=OuterRef("pk")).order_by()
        count = listed.visible().values("genre").annotate(n=Count("film")).values("n")
        later = listed.filter(published_at__gt=CurrentMoment()).order_by("published_at")
        return self.update(
            film_count=Coalesce(Subquery(count), 0),
            film_count_due_at=Subquery(later.values("published_at")[:1]),
        )

    def refresh_due(self) -> int:
        """Count again the genres one of whose scheduled films has become visible: for
        lists that show the counts (until then one look that finds nothing)."""
        due = self.filter(film_count_due_at__lte=CurrentMoment())
        # Looked for first: an UPDATE finding nothing took 14 ms to plan, the look 0.2 ms.
        return due.refresh_film_counts() if due.exists() else 0


class Genre(models.Model):
    name = models.CharField("Name", max_length=100, validators=[validate_visible_text])
    # Unique constraints index the slugs; SlugField's own index would be a second one.
    slug = models.SlugField("Slug", max_length=100, db_index=False)
    # Its published films, counted again by refresh_film_counts() when a film's genres or
    # status change, and by the import: /genres/ counts no million rows.
    film_count = models.PositiveIntegerField(
        "Veröffentlichte Filme", default=0, db_default=0, editable=False
    )
    film_count_due_at = models.DateTimeField(null=True, editable=False)

    objects = GenreQuerySet.as_manager()

    class Meta:
        verbose_name = "Genre"
        verbose_name_plural = "Genres"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name"], name="films_genre_unique_name"),
            models.UniqueConstraint(fields=["slug"], name="films_genre_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return remembered_reverse("browse:genre", slug=self.slug)


class GenreListingQuerySet(models.QuerySet):
    def visible(self) -> "GenreListingQuerySet":
        """The listed films whose moment of publication has come (drafts are not listed)."""
        return self.filter(published_at__lte=CurrentMoment())

    def newest(self) -> "GenreListingQuerySet":
        """Newest first, as FilmQuerySet.newest(), in films_genrelisting_newest_idx."""
        return self.order_by("-sort_year", "-film_id")

    def best(self) -> "GenreListingQuerySet":
        """The rated films, best first, as the Bestenliste ranks them."""
        return self.filter(rating_count__gt=0).order_by(*BEST_FIRST, "film_id")

    def refresh(self, **links) -> None:
        """List again what `links` selects of films' genres (lookups that films_film_genres
        and the listing share: film=, film__in=, genre=; none: all of them). A published
        film's genres are listed with its keys as they are now, everything else is removed.

        An upsert, not a delete and an insert: two saves of one film at the same moment
        (a review each, say) would otherwise both insert its rows.
        """
        links_of_published = Film.genres.through.objects.filter(
            **links, film__status=PublicationStatus.PUBLISHED
        )
        self.filter(**links).exclude(
            Exists(links_of_published.filter(film=OuterRef("film"), genre=OuterRef("genre")))
        ).delete()
        rows = links_of_published.annotate(
            listed_year=Coalesce("film__year", 0),
            listed_decade=Coalesce("film__year", 0) / 10 * 10,
            listed_moment=models.F("film__published_at"),
            listed_title=models.F("film__title"),
            listed_average=models.F("film__rating_average"),
            listed_count=models.F("film__rating_count"),
        ).values_list(
            "film_id",
            "genre_id",
            "listed_year",
            "listed_decade",
            "listed_moment",
            "listed_title",
            "listed_average",
            "listed_count",
        )
        select, params = rows.query.sql_with_params()
        keys = ["sort_year", "decade", "published_at", "title", "rating_average", "rating_count"]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {GenreListing._meta.db_table} (film_id, genre_id, {', '.join(keys)}) "
                f"{select} ON CONFLICT (film_id, genre_id) DO UPDATE SET "
                + ", ".join(f"{key} = excluded.{key}" for key in keys),
                params,
            )


class GenreListing(models.Model):
    """A published film in one of its genres, with the keys that its genre's page and its
    genre's Bestenliste order by: both read a genre's films in index order (at 700,000
    films, walking all films newest first and looking up each one's genres took 215 ms
    for a page of a rare genre). Kept by GenreListing.objects.refresh() as films, their
    genres and their ratings change, and by the import and the generator."""

    pk = models.CompositePrimaryKey("film", "genre")
    film = models.ForeignKey("Film", on_delete=models.CASCADE, related_name="+")
    # The listing's indexes begin with the genre: a second index on it would be unused.
    genre = models.ForeignKey(Genre, on_delete=models.CASCADE, db_index=False, related_name="+")
    # The film's year, 0 when unknown: NEWEST_FIRST's first key.
    sort_year = models.PositiveSmallIntegerField()
    decade = models.PositiveSmallIntegerField()  # of sort_year: 1990 for 1994, 0 for none
    published_at = models.DateTimeField()
    title = models.CharField(max_length=300)
    rating_average = models.FloatField(null=True)
    rating_count = models.PositiveIntegerField(default=0)

    objects = GenreListingQuerySet.as_manager()

    class Meta:
        verbose_name = "Genre-Eintrag"
        verbose_name_plural = "Genre-Einträge"
        ordering = ["genre", "-sort_year", "-film_id"]
        indexes = [
            # A genre's page: its films newest first (views.genre_detail), with the moment
            # that visible() compares, so that the page's ids come from the index alone.
            models.Index(
                fields=["genre", "-sort_year", "-film"],
                include=["published_at"],
                name="films_genrelisting_newest_idx",
            ),
            # The Bestenliste of a genre: its rated films, best first.
            models.Index(
                fields=["genre", "-rating_average", "-rating_count", "title", "film"],
                include=["published_at"],
                condition=Q(rating_count__gt=0),
                name="films_genrelisting_best_idx",
            ),
            # The same of one decade: its best thousand read from here, not sought among
            # all of the genre's (1.3 ms for Drama in the 1990s, 0.5 ms here).
            models.Index(
                fields=["genre", "decade", "-rating_average", "-rating_count", "title", "film"],
                include=["published_at"],
                condition=Q(rating_count__gt=0),
                name="films_genrelisting_decade_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.genre_id}: {self.film_id}"


def related_manager(model: type[models.Model], name: str) -> models.Manager:
    """The default manager of the model behind the reverse relation `name`.

    Films reach credits and reviews only through their reverse relations: `films`
    imports neither `people` nor `reviews`.
    """
    return model._meta.get_field(name).related_model._default_manager


class FilmQuerySet(models.QuerySet):
    def published(self) -> "FilmQuerySet":
        return self.filter(visible())

    def visible_to(self, user) -> "FilmQuerySet":
        """Published films; staff also see drafts."""
        return self if user.is_staff else self.published()

    def newest(self) -> "FilmQuerySet":
        return self.order_by(*NEWEST_FIRST)

    def of_year(self, year: int) -> "FilmQuerySet":
        """The films of `year`, compared as NEWEST_FIRST orders them: newest() then reads
        the year's range of films_film_status_newest_idx instead of filtering all of it."""
        return self.alias(newest_year=NEWEST_FIRST[0].expression).filter(newest_year=year)

    def visible_years(self) -> list[int]:
        """The years of the visible films, newest first: one step down the newest-first
        index for each year (a loose index scan) instead of reading every film (at
        700,000 films 0.7 ms for their 107 years, against 140 ms)."""
        table = connection.ops.quote_name(Film._meta.db_table)
        later = f"""
            SELECT COALESCE(year, 0) FROM {table}
            WHERE status = %s AND published_at <= %s AND COALESCE(year, 0) < years.year
            ORDER BY COALESCE(year, 0) DESC LIMIT 1
        """
        sql = f"""
            WITH RECURSIVE years(year) AS (
                SELECT CAST(%s AS INTEGER)
                UNION ALL
                SELECT ({later}) FROM years WHERE years.year > 0
            )
            SELECT year FROM years WHERE year > 0 AND year <= %s
        """
        now = timezone.now()
        with connection.cursor() as cursor:
            cursor.execute(
                sql, [LAST_FILM_YEAR + 1, PublicationStatus.PUBLISHED, now, LAST_FILM_YEAR]
            )
            return [year for (year,) in cursor.fetchall()]

    def matching(self, query: str) -> "FilmQuerySet":
        """Films whose German or original title contains every word of `query`, folded."""
        return filter_folded(self, query)

    def search(self, query: str, found: "PeopleFound | None" = None) -> "FilmQuerySet":
        """Films whose title, original title, an alternative title or a credited person's
        name has words beginning with every word of `query` (folded, any order). Each
        film once. `found`: the people the query finds, if looked up already."""
        # Imported here: films.search reads this module's models.
        from films.search import has_common_words, most_popular_matching, popular_films

        if not query_words(query):
            return self
        found = found or people_found([query])
        # The alternative titles' and the people's films are each gathered first
        # (AnyOf): PostgreSQL then ORs three index lookups instead of testing every film.
        # Common words rank only the most popular matches: see films.search.
        common = has_common_words(query)
        if common and query not in found.broad:
            found.broaden(query)
        alternative_titles = AlternativeTitle.objects.filter(
            folded_condition(query, each_row=common)
        )
        if common:
            alternative_titles = alternative_titles.filter(AnyOf("film_id", popular_films()))
        titles = OneOf("pk", most_popular_matching(query)) if common else folded_condition(query)
        condition = Q(titles) | AnyOf("pk", alternative_titles.values("film_id"))
        if found.ids[query]:
            condition |= AnyOf("pk", found.credits(query).values("film_id"))
        return self.filter(condition)

    def with_person(
        self, role: str, name: str, found: "PeopleFound | None" = None
    ) -> "FilmQuerySet":
        """Films with a credit of `role` of a person whose name `name` finds.

        The films with such a credit are gathered first (AnyOf): several conditions each
        hold through their own credit, and no join multiplies the rows.
        """
        if not query_words(name):
            return self  # punctuation alone names nobody: no condition, as with `q`
        found = found or people_found([name])
        return self.filter(AnyOf("pk", found.credits(name, role=role).values("film_id")))

    def by_relevance(
        self,
        query: str = "",
        people: list[tuple[str, str]] = (),
        found: "PeopleFound | None" = None,
    ) -> "FilmQuerySet":
        """Best matches first, for a search by `query` (title or name) and by `people`
        ((role, name) conditions):

        1. the exact title (or original title), folded;
        2. titles starting with the query;
        3. films where a searched person is credited, by their billing: first the films
           where they lead the cast (or are the first named director), then second…;
        4. the rest;

        the most popular first within each, then the newest added. Without words to
        rank by (punctuation alone), newest first.
        """
        people = [(role, name) for role, name in people if query_words(name)]
        found = found or people_found([query, *(name for _, name in people)])
        # Names that find nobody credit no film.
        searched = [found.credits(name, role=role) for role, name in people if found.ids[name]]
        if query_words(query) and found.ids[query]:
            searched.append(found.credits(query))
        tiers = []
        if key := fold_title(query):
            tiers += [
                models.When(Q(title_key=key) | Q(original_title_key=key), then=0),
                models.When(
                    Q(title_key__startswith=key) | Q(original_title_key__startswith=key), then=1
                ),
            ]
        billing = models.Value(0)
        if searched:
            credits = functools.reduce(operator.or_, searched)
            # Billing only for the films a searched person is credited in, gathered once:
            # a common title word matches tens of thousands of films.
            tiers.append(models.When(AnyOf("pk", credits.values("film_id")), then=2))
            first_billed = (
                credits.filter(film=OuterRef("pk")).order_by("billing").values("billing")[:1]
            )
            billing = models.Case(models.When(relevance=2, then=Subquery(first_billed)), default=0)
        if not tiers:
            return self.newest()  # no words to rank by
        relevance = models.Case(*tiers, default=3, output_field=models.IntegerField())
        return (self.annotate(relevance=relevance).annotate(billing=billing)).order_by(
            "relevance", "billing", "-popularity", "-pk"
        )

    def with_people_best_billed(
        self, people: list[tuple[str, str]], limit: int, found: "PeopleFound | None" = None
    ) -> list[int]:
        """The ids of these films that have a credit for each of `people` ((role, name)
        conditions), ranked as `by_relevance` ranks a search by people alone: by the best
        billing of a searched person, then most popular; at most `limit`.

        Read from the searched people's credits, a few thousand at most for a typed
        name, with their stored billing, and grouped by film: ranking the films instead
        billed each by looking through its credits (1.3 s for a name that 729 actors
        share), and counting each found credit's predecessors took half of the query.
        """
        people = [(role, name) for role, name in people if query_words(name)]
        found = found or people_found([name for _, name in people])
        # Written out: building it with the ORM took 2.5 ms of a 10 ms search.
        conditions, condition_params = [], []
        for role, name in people:
            condition, params = found.credit_sql(name, role, "c")
            conditions.append(condition)
            condition_params.append(params)
        # Each credit's film read by its id, with the search's other conditions (NULL
        # when they do not hold): as a join, PostgreSQL hashed all 700,000 films for a
        # name 2,017 people share (170 of 350 ms).
        popularity, film_params = (
            self.filter(pk=RawSQL("c.film_id", ())).order_by().values("popularity")[:1]
        ).query.sql_with_params()
        credits = related_manager(Film, "credits").model._meta.db_table
        # Every condition held, where there are several: each credit holds one. Testing
        # one name's condition again took a sixth of the query for a name that 2,017
        # people share (each credit looked for among their ids).
        having = ""
        if len(conditions) > 1:
            having = "HAVING " + " AND ".join(
                f"COUNT(*) FILTER (WHERE {held}) > 0" for held in conditions
            )
        # OFFSET 0 keeps each credit's film read once (merged into the outer query, its
        # film was read twice).
        sql = f"""
            SELECT film_id FROM (
                SELECT c.id, c.film_id, c.role, c.person_id, c.billing, ({popularity}) AS popularity
                FROM {credits} c
                WHERE {" OR ".join(conditions)}
                {"OFFSET 0" if connection.vendor == "postgresql" else ""}
            ) AS c
            WHERE popularity IS NOT NULL
            GROUP BY film_id
            {having}
            ORDER BY MIN(billing), MAX(popularity) DESC, film_id DESC
            LIMIT %s
        """
        params = [*film_params, *itertools.chain.from_iterable(condition_params)]
        if len(conditions) > 1:
            params += itertools.chain.from_iterable(condition_params)
        params.append(limit)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [film_id for (film_id,) in cursor.fetchall()]

    def best(self) -> "FilmQuerySet":
        """The rated films, best first, as the Bestenliste ranks them (films_film_best_idx)."""
        return self.filter(rating_count__gt=0).order_by(*BEST_FIRST, "pk")

    def by_title(self) -> "FilmQuerySet":
        return self.order_by("title", "pk")

    def oldest(self) -> "FilmQuerySet":
        return self.order_by(Coalesce("year", LAST_FILM_YEAR + 1), "pk")

    def refresh_ratings(self) -> int:
        """Average and count each film's visible critics' ratings again, and note when a
        review scheduled for later makes them due again."""
        reviews = related_manager(Film, "reviews").filter(film=OuterRef("pk"), rating__isnull=False)
        ratings = reviews.filter(visible()).order_by().values("film")
        later = reviews.filter(status=PublicationStatus.PUBLISHED, published_at__gt=CurrentMoment())
        rated = self.update(
            ratings_due_at=Subquery(later.order_by("published_at").values("published_at")[:1]),
            rating_average=Subquery(
                ratings.annotate(a=Avg("rating", output_field=models.FloatField())).values("a")
            ),
            rating_count=Coalesce(Subquery(ratings.annotate(n=Count("pk")).values("n")), 0),
        )
        GenreListing.objects.refresh(film__in=self)
        return rated

    def refresh_due_ratings(self) -> int:
        """Rate again the films one of whose scheduled reviews has become visible (found
        through films_film_ratings_due_idx; until then one look that finds nothing)."""
        due = list(self.filter(ratings_due_at__lte=CurrentMoment()).values_list("pk", flat=True))
        return Film.objects.filter(pk__in=due).refresh_ratings() if due else 0

    def refresh_popularity(self) -> int:
        """Count each film's credits and published reviews again into its popularity."""

        def counted(relation: str, **conditions) -> Coalesce:
            rows = related_manager(Film, relation).filter(film=OuterRef("pk"), **conditions)
            count = rows.order_by().values("film").annotate(n=Count("pk")).values("n")
            return Coalesce(Subquery(count), 0)

        return self.update(
            popularity=counted("credits")
            + REVIEW_WEIGHT * counted("reviews", status=PublicationStatus.PUBLISHED)
        )


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
    credits = related_manager(Film, "credits").model._meta.db_table
    people = person_model()._meta.db_table
    quote = connection.ops.quote_name
    films_in, films_params = one_of("f.id", ids, connection.vendor)
    credits_in, credits_params = one_of("film_id", ids, connection.vendor)
    # In the model's order, as Film.from_db() takes them.
    shown = CARD_FIELDS | CARD_FACTS if facts else CARD_FIELDS
    fields = [field.attname for field in Film._meta.concrete_fields if field.attname in shown]
    columns = ", ".join(f"f.{quote(field)}" for field in fields)
    sql = f"""
        SELECT {columns}, billed.role, p.name, p.slug
        FROM {Film._meta.db_table} f
        LEFT JOIN (
            SELECT film_id, role, person_id, billing FROM {credits}
            WHERE {credits_in} AND role IN ('director', 'cast') AND billing < %s
        ) AS billed ON billed.film_id = f.id
        LEFT JOIN {people} p ON p.id = billed.person_id
        WHERE {films_in} AND f.status = %s AND f.published_at <= %s  -- visible(), now
        ORDER BY billed.role, billed.billing
    """
    params = [*credits_params, CARD_PEOPLE, *films_params, Film.Status.PUBLISHED, timezone.now()]
    films: dict[int, Film] = {}
    person_url = slug_urls("people:detail")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            *values, role, name, slug = row
            film = films.get(values[0])
            if film is None:
                film = films[values[0]] = Film.from_db(connection.alias, fields, values)
                film.card_directors, film.card_cast = [], []
            if role == "director":
                film.card_directors.append(CardPerson(name, slug, person_url(slug)))
            elif role == "cast":
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
    links_in, params = one_of("fg.film_id", film_ids, connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT fg.film_id, g.name FROM {Film.genres.through._meta.db_table} fg "
            f"JOIN {Genre._meta.db_table} g ON g.id = fg.genre_id WHERE {links_in} "
            "ORDER BY g.name",
            params,
        )
        return cursor.fetchall()


def people_found(names: Iterable[str]) -> "PeopleFound":
    """The people each of `names` finds (`films.search.PeopleFound`, which reads these
    models)."""
    from films.search import PeopleFound

    return PeopleFound(names)


def person_model() -> type[models.Model]:
    """The model of credited people: films import no other app."""
    return related_manager(Film, "credits").model._meta.get_field("person").related_model


def refresh_film_popularity(sender, instance, **kwargs) -> None:
    """Receiver for the saves and deletions of a credit or review (`instance.film_id`)."""
    Film.objects.filter(pk=instance.film_id).refresh_popularity()


def next_publication() -> datetime.datetime | None:
    """The next moment a published film or review becomes visible, if one is scheduled:
    one query (the page cache keeps pages until then at most)."""
    later = Q(status=PublicationStatus.PUBLISHED, published_at__gt=CurrentMoment())
    firsts = [
        manager.filter(later).order_by("published_at").values("published_at")[:1].query
        for manager in (Film._base_manager, related_manager(Film, "reviews"))
    ]
    compiled = [query.sql_with_params() for query in firsts]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join(f"({sql})" for sql, _ in compiled),
            [param for _, params in compiled for param in params],
        )
        moments = [_aware(moment) for moment in cursor.fetchone() if moment is not None]
    return min(moments, default=None)


def _aware(moment) -> datetime.datetime:
    """A timestamp as a plain cursor reads it: SQLite gives text in UTC."""
    if isinstance(moment, str):
        moment = datetime.datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


# The genres whose counts wait for the end of genre_counts_deferred(), while it runs.
_deferred_genres: contextvars.ContextVar[set[int] | None] = contextvars.ContextVar(
    "deferred_genres", default=None
)


@contextlib.contextmanager
def genre_counts_deferred():
    """Count the genres that the saves inside change once, at the end, instead of after
    each save (a bulk publication of many films; a genre's recount takes half a second
    at 700,000 films)."""
    pending: set[int] = set()
    token = _deferred_genres.set(pending)
    try:
        yield
    finally:
        _deferred_genres.reset(token)
    Genre.objects.filter(pk__in=pending).refresh_film_counts()


def _refresh_genre_counts(genre_ids: Iterable[int]) -> None:
    pending = _deferred_genres.get()
    if pending is None:
        Genre.objects.filter(pk__in=genre_ids).refresh_film_counts()
    else:
        pending.update(genre_ids)


# What a film's genre listings hold of it; the first two decide its genres' counts too.
LISTED_FIELDS = ("status", "published_at", "year", "title")


def remember_listing_before(sender, instance: "Film", **kwargs) -> None:
    """Receiver before a film's save: what its genres' listings and counts hold of it."""
    instance._listed_before = (
        Film._base_manager.filter(pk=instance.pk).values_list(*LISTED_FIELDS).first()
        if instance.pk
        else None
    )


def count_restored_film(sender, instance: "Film", raw: bool, **kwargs) -> None:
    """Receiver for a film's saves: a raw save (a restore from the history, a fixture)
    writes the counts it was stored with; they are counted again from what there is."""
    if raw:
        restored = Film.objects.filter(pk=instance.pk)
        restored.refresh_popularity()
        restored.refresh_ratings()


def keep_genres_of_deleted_film(sender, instance: "Film", **kwargs) -> None:
    """Receiver before a film's deletion: which genres lose it is only known before."""
    instance._genre_ids = list(instance.genres.values_list("pk", flat=True))


def refresh_genres_of_film(sender, instance: "Film", **kwargs) -> None:
    """Receiver for a film's saves and deletions: its genres list it again when one of
    LISTED_FIELDS changed, and count it again when its status or moment of publication
    changed, or it was deleted (its listings go with it)."""
    deleted = getattr(instance, "_genre_ids", None)
    if deleted is not None:
        _refresh_genre_counts(deleted)
        return
    before = getattr(instance, "_listed_before", None)
    now = tuple(getattr(instance, field) for field in LISTED_FIELDS)
    if before == now:
        return  # an edit of its texts, facts or image: nothing that a genre shows
    GenreListing.objects.refresh(film=instance)
    if before is None or before[:2] != now[:2]:
        _refresh_genre_counts(list(instance.genres.values_list("pk", flat=True)))


def refresh_genres_of_change(sender, instance, action: str, reverse: bool, pk_set, **kwargs):
    """Receiver for changes of films' genres, from either side of the relation."""
    if not reverse and instance.status != PublicationStatus.PUBLISHED:
        return  # a draft's genres list and count it nowhere
    if action == "pre_clear" and not reverse:
        instance._genre_ids = list(instance.genres.values_list("pk", flat=True))
    elif action in ("post_add", "post_remove", "post_clear"):
        if reverse:  # genre.films.add(...) and the like change this genre only
            changed = {"genre": instance} | ({"film__in": pk_set} if pk_set else {})
            genres = [instance.pk]
        elif action == "post_clear":
            changed = {"film": instance}
            genres = instance.__dict__.pop("_genre_ids")
        else:
            changed = {"film": instance, "genre__in": pk_set}
            genres = pk_set
        GenreListing.objects.refresh(**changed)
        _refresh_genre_counts(genres)


class Film(Scheduled, Versioned):
    Status = PublicationStatus

    class FSK(models.IntegerChoices):
        FSK_0 = 0, "FSK 0"
        FSK_6 = 6, "FSK 6"
        FSK_12 = 12, "FSK 12"
        FSK_16 = 16, "FSK 16"
        FSK_18 = 18, "FSK 18"

    title = models.CharField(
        "Titel", max_length=300, help_text="Der deutsche Titel.", validators=[validate_visible_text]
    )
    original_title = models.CharField(
        "Originaltitel", max_length=300, blank=True, validators=[validate_visible_text]
    )
    slug = models.SlugField(
        "Slug",
        max_length=320,
        db_index=False,
        help_text="Teil der Adresse der Filmseite, z. B. der-geschmack-von-rost-und-knochen-2012.",
    )
    year = models.PositiveSmallIntegerField(
        "Jahr",
        null=True,
        blank=True,
        validators=[MinValueValidator(FIRST_FILM_YEAR), MaxValueValidator(LAST_FILM_YEAR)],
    )
    release_date = models.DateField("Kinostart", null=True, blank=True, help_text="In Deutschland.")
    runtime = models.PositiveSmallIntegerField(
        "Laufzeit (Minuten)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(6000)],
    )
    fsk = models.PositiveSmallIntegerField(
        "FSK", choices=FSK.choices, null=True, blank=True, help_text="Leer: unbekannt."
    )
    countries = models.CharField(
        "Produktionsländer",
        max_length=300,
        blank=True,
        help_text="z. B. Frankreich, Belgien",
        validators=[validate_visible_text],
    )
    distributor = models.CharField(
        "Verleih", max_length=200, blank=True, validators=[validate_visible_text]
    )
    genres = models.ManyToManyField(Genre, verbose_name="Genres", blank=True, related_name="films")
    synopsis = models.TextField(
        "Kurzinhalt",
        blank=True,
        help_text="Kurzer Anreißer unter dem Titel und in Listen.",
        validators=[validate_visible_text],
    )
    plot = models.TextField("Handlung", blank=True, validators=[validate_visible_text])
    background = models.TextField("Hintergrund", blank=True, validators=[validate_visible_text])
    poster = SafeImageField(
        "Plakat",
        upload_to="posters/",
        blank=True,
        width_field="poster_width",
        height_field="poster_height",
        help_text="JPEG, PNG oder WebP, höchstens 20 MB und 40 Megapixel.",
    )
    poster_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    poster_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    poster_credit = image_credit_field()
    poster_credit_note = image_credit_note_field()
    imdb_id = ImdbIdField(prefix="tt")
    search_text = models.TextField(editable=False, blank=True)
    # fold_title() of the title and of the original title: a search ranks the exact
    # title and titles starting with its words first (FilmQuerySet.by_relevance).
    title_key = models.TextField(editable=False, blank=True, default="", db_default="")
    original_title_key = models.TextField(editable=False, blank=True, default="", db_default="")
    # What orders search results within their relevance: the film's credits and
    # REVIEW_WEIGHT for each published review, counted again by refresh_popularity()
    # when one of them is saved or deleted, and by the import.
    popularity = models.PositiveIntegerField("Beliebtheit", default=0, db_default=0, editable=False)
    # The average and number of its published critics' ratings, counted again by
    # refresh_ratings() when a review is saved or deleted: the Bestenliste ranks films by
    # them, read in index order instead of averaging every review.
    rating_average = models.FloatField("Durchschnittliche Wertung", null=True, editable=False)
    rating_count = models.PositiveIntegerField("Wertungen", default=0, db_default=0, editable=False)
    # When a review scheduled for later becomes visible: the ratings are due again then.
    ratings_due_at = models.DateTimeField(null=True, editable=False)
    # The values the last IMDb import wrote, as JSON: a field whose value still equals its
    # snapshot was not changed by an editor and may be updated by the next import.
    imdb_snapshot = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField("Angelegt", auto_now_add=True)
    updated_at = models.DateTimeField("Geändert", auto_now=True)

    objects = FilmQuerySet.as_manager()

    class Meta:
        verbose_name = "Film"
        verbose_name_plural = "Filme"
        ordering = ["-year", "title"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="films_film_unique_slug"),
            # NULL when unset, so "unique when set" is a plain unique constraint.
            models.UniqueConstraint(fields=["imdb_id"], name="films_film_unique_imdb_id"),
            imdb_id_format_constraint(name="films_film_imdb_id_format", prefix="tt"),
            models.CheckConstraint(
                condition=Q(year__isnull=True)
                | Q(year__gte=FIRST_FILM_YEAR, year__lte=LAST_FILM_YEAR),
                name="films_film_year_range",
                violation_error_message=(
                    f"Das Jahr muss zwischen {FIRST_FILM_YEAR} und {LAST_FILM_YEAR} liegen."
                ),
            ),
            models.CheckConstraint(
                condition=Q(runtime__isnull=True) | Q(runtime__gte=1),
                name="films_film_runtime_positive",
                violation_error_message="Die Laufzeit muss mindestens eine Minute sein.",
            ),
            models.CheckConstraint(
                condition=Q(fsk__isnull=True) | Q(fsk__in=[0, 6, 12, 16, 18]),
                name="films_film_fsk_valid",
                violation_error_message="Die FSK-Freigabe ist 0, 6, 12, 16, 18 oder leer.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=PublicationStatus.values),
                name="films_film_status_valid",
                violation_error_message="Unbekannter Status.",
            ),
            models.CheckConstraint(
                condition=Q(status=PublicationStatus.DRAFT) | Q(published_at__isnull=False),
                name="films_film_published_has_moment",
                violation_error_message="Ein veröffentlichter Film braucht einen Zeitpunkt.",
            ),
            models.CheckConstraint(
                condition=Q(title__gt="") & Q(slug__gt=""),
                name="films_film_title_and_slug_present",
                violation_error_message="Ein Film braucht einen Titel und einen Slug.",
            ),
            models.CheckConstraint(
                condition=Q(rating_count=0, rating_average__isnull=True)
                # NULL compared is unknown, which a check lets pass: excluded by name.
                | Q(
                    rating_count__gt=0,
                    rating_average__isnull=False,
                    rating_average__gte=1,
                    rating_average__lte=5,
                ),
                name="films_film_rating_average_of_count",
                violation_error_message="Der Durchschnitt der Wertungen liegt zwischen 1 und 5.",
            ),
        ]
        indexes = [
            # Home page and film list: newest published films first (FilmQuerySet.newest),
            # read in index order instead of sorting every published film.
            # With the year itself, so that the ids of a list's first thousand films are
            # read from the index alone (0.25 instead of 1.1 ms at 700,000 films); with
            # the moment of publication, which visible() compares, likewise.
            models.Index(
                "status",
                *NEWEST_FIRST,
                include=["year", "published_at"],
                name="films_film_status_newest_idx",
            ),
            # Film list A to Z (FilmQuerySet.by_title), read in index order likewise.
            models.Index(
                "status",
                "title",
                "id",
                include=["published_at"],
                name="films_film_status_title_idx",
            ),
            # Kinostarts: the published films starting in a range of weeks, by date.
            models.Index(
                fields=["release_date", "title"],
                include=["published_at"],
                condition=Q(status="published", release_date__isnull=False),
                name="films_film_release_idx",
            ),
            # The next scheduled publication (next_publication, on every content change):
            # read from here instead of from every film.
            models.Index(
                fields=["published_at"],
                condition=Q(status="published"),
                name="films_film_published_at_idx",
            ),
            # The films whose ratings a scheduled review will make due (refresh_due_ratings).
            models.Index(
                fields=["ratings_due_at"],
                condition=Q(ratings_due_at__isnull=False),
                name="films_film_ratings_due_idx",
            ),
            # Common words and broad names in a search: the most popular films first
            # (films.search), their folded titles tested as the index is read.
            models.Index(
                models.F("popularity").desc(),
                models.F("id").desc(),
                include=["published_at", "search_text"],
                condition=Q(status="published"),
                name="films_film_popular_idx",
            ),
            # Bestenliste: the rated published films, best first (reviews.rated_films).
            models.Index(
                models.F("rating_average").desc(),
                models.F("rating_count").desc(),
                "title",
                "id",
                # The moment visible() compares and the year a decade's list compares:
                # the list's first thousand and a decade's come from the index alone (a
                # decade's took 5.8 ms with the year read from the table, 0.9 without).
                include=["published_at", "year"],
                condition=Q(status="published", rating_count__gt=0),
                name="films_film_best_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})" if self.year else self.title

    # Counted by the database from credits and reviews, never written by a save: a film
    # read before a review came would write back the ratings it was read with.
    COUNTED_FIELDS = ["popularity", "rating_average", "rating_count", "ratings_due_at"]

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = german_slugify(f"{self.title} {self.year or ''}")
        self.fold_search_texts()
        self.stamp_publication()
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in self.COUNTED_FIELDS
            ]
        super().save(*args, **kwargs)

    # What fold_search_texts() writes, for writes that bypass save().
    FOLDED_FIELDS = ["search_text", "title_key", "original_title_key"]

    def fold_search_texts(self) -> None:
        self.search_text = fold_for_search(self.title, self.original_title)
        self.title_key = fold_title(self.title)
        self.original_title_key = fold_title(self.original_title)

    def get_absolute_url(self) -> str:
        return remembered_reverse("films:detail", slug=self.slug)

    @property
    def poster_url(self) -> str:
        return self.poster.url if self.poster else ""

    def country_list(self) -> list[str]:
        return [country.strip() for country in self.countries.split(",") if country.strip()]


class AlternativeTitle(models.Model):
    class Kind(models.TextChoices):
        DISPLAY = "imdbDisplay", "Anzeigetitel"
        ORIGINAL = "original", "Originaltitel"
        ALTERNATIVE = "alternative", "Alternativtitel"
        WORKING = "working", "Arbeitstitel"
        FESTIVAL = "festival", "Festivaltitel"
        TV = "tv", "TV-Titel"
        VIDEO = "video", "Videotitel"
        DVD = "dvd", "DVD-Titel"

    # Indexed by the unique constraint, which starts with film.
    film = models.ForeignKey(
        Film,
        on_delete=models.CASCADE,
        related_name="alternative_titles",
        verbose_name="Film",
        db_index=False,
    )
    title = models.CharField("Titel", max_length=500, validators=[validate_visible_text])
    region = models.CharField(
        "Region",
        max_length=4,
        blank=True,
        help_text="Ländercode, z. B. DE, AT, US.",
        validators=[validate_visible_text],
    )
    kind = models.CharField("Art", max_length=20, choices=Kind.choices, blank=True)
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = "Alternativer Titel"
        verbose_name_plural = "Alternative Titel"
        ordering = ["region", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["film", "title", "region", "kind"],
                name="films_alternativetitle_unique_film_title_region_kind",
            ),
            models.CheckConstraint(
                condition=Q(title__gt=""),
                name="films_alternativetitle_title_present",
                violation_error_message="Ein alternativer Titel darf nicht leer sein.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.region})" if self.region else self.title

    def save(self, *args, **kwargs) -> None:
        self.search_text = fold_for_search(self.title)
        super().save(*args, **kwargs)


class OfferQuerySet(models.QuerySet):
    def with_recent_clicks(self, today) -> "OfferQuerySet":
        """Each offer with its clicks of the 7 and the 30 days up to `today`."""

        def clicks_since(days: int) -> Coalesce:
            since = today - datetime.timedelta(days=days - 1)
            return Coalesce(Sum("clicks__clicks", filter=Q(clicks__day__gte=since)), 0)

        return self.annotate(clicks_7=clicks_since(7), clicks_30=clicks_since(30))


class Offer(models.Model):
    class Kind(models.TextChoices):
        STREAM = "stream", "Stream"
        RENT = "rent", "Leihen"
        BUY = "buy", "Kaufen"
        DVD = "dvd", "DVD"
        BLURAY = "bluray", "Blu-ray"

    # Indexed by films_offer_film_position_idx, which starts with film.
    film = models.ForeignKey(
        Film, on_delete=models.CASCADE, related_name="offers", verbose_name="Film", db_index=False
    )
    provider = models.CharField("Anbieter", max_length=100, validators=[validate_visible_text])
    kind = models.CharField("Art", max_length=10, choices=Kind.choices)
    url = models.URLField(
        "Link", max_length=1000, validators=[http_url_validator, validate_visible_text]
    )
    price = models.DecimalField(
        "Preis (€)",
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    position = models.PositiveSmallIntegerField("Position", default=0)

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = "Angebot (Affiliate-Link)"
        verbose_name_plural = "Angebote (Affiliate-Links)"
        ordering = ["position", "pk"]
        constraints = [
            # Only web links: never javascript:, data: or other schemes in a visitor's click.
            models.CheckConstraint(
                condition=Q(url__startswith="https://") | Q(url__startswith="http://"),
                name="films_offer_url_http",
                violation_error_message=http_url_validator.message,
            ),
            models.CheckConstraint(
                condition=Q(price__isnull=True) | Q(price__gte=0),
                name="films_offer_price_not_negative",
                violation_error_message="Der Preis darf nicht negativ sein.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["stream", "rent", "buy", "dvd", "bluray"]),
                name="films_offer_kind_valid",
                violation_error_message="Unbekannte Angebotsart.",
            ),
            models.CheckConstraint(
                condition=Q(provider__gt=""),
                name="films_offer_provider_present",
                violation_error_message="Ein Angebot braucht einen Anbieter.",
            ),
        ]
        indexes = [
            # Film page: a film's offers in their editorial order.
            models.Index(fields=["film", "position"], name="films_offer_film_position_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.provider}: {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        """The address visitors follow: /weiter/<id>/ counts the click and redirects."""
        return remembered_reverse("offer-click", offer_id=self.pk)


class OfferClickQuerySet(models.QuerySet):
    def count_one(self, offer_id: int, day) -> None:
        """One more click on the offer that day, in one statement: concurrent clicks each
        add theirs (an upsert; PostgreSQL and SQLite share its syntax)."""
        table = self.model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (offer_id, day, clicks) VALUES (%s, %s, 1) "
                f"ON CONFLICT (offer_id, day) DO UPDATE SET clicks = {table}.clicks + 1",
                [offer_id, day],
            )


class OfferClick(models.Model):
    """How often visitors followed an offer's link on a day, and nothing about them."""

    offer = models.ForeignKey(
        Offer,
        on_delete=models.CASCADE,
        related_name="clicks",
        verbose_name="Angebot",
        db_index=False,
    )
    day = models.DateField("Tag")
    clicks = models.PositiveIntegerField("Klicks", default=0)

    objects = OfferClickQuerySet.as_manager()

    class Meta:
        verbose_name = "Klicks eines Tages"
        verbose_name_plural = "Klicks"
        constraints = [
            # Also the upsert's conflict target, and the index of an offer's days.
            models.UniqueConstraint(fields=["offer", "day"], name="films_offerclick_unique_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day:%d.%m.%Y}: {self.clicks}"


class FilmRedirect(SlugRedirect):
    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="redirects")

    owner_field = "film"

    class Meta:
        verbose_name = "Alte Filmadresse"
        verbose_name_plural = "Alte Filmadressen"
        ordering = ["old_slug"]
        constraints = [
            models.UniqueConstraint(fields=["old_slug"], name="films_filmredirect_unique_old_slug")
        ]
