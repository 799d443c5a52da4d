"""Genres, and each genre's listing of its published films."""

import contextlib
import contextvars
from collections.abc import Iterable

from django.db import connection, models
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from filmdb.lib.publication import CurrentMoment, PublicationStatus
from filmdb.lib.urls import remembered_reverse
from filmdb.lib.validators import validate_visible_text

# The Bestenliste's order, of films and of genre listings (each adds its film's id): the
# best average first, ties to more ratings, then the title.
BEST_FIRST = ("-rating_average", "-rating_count", "title")
# Newest films first, films without a year last. The same expressions make up the index
# that serves this order; NULLS LAST is avoided because SQLite cannot index it.
NEWEST_FIRST = (Coalesce("year", 0).desc(), models.F("id").desc())


class GenreQuerySet(models.QuerySet):
    def refresh_film_counts(self) -> int:
        """Count each genre's visible films again into its `film_count`, and note when a
        film scheduled for later makes the count due again: from the genre's listing
        (GenreListing), which its page reads too, in index order."""
        listed = GenreListing.objects.filter(genre=OuterRef("pk")).order_by()
        count = listed.visible().values("genre").annotate(n=Count("film")).values("n")
        later = listed.filter(published_at__gt=CurrentMoment()).order_by("published_at")
        # The due moment first: each reads the clock as it is compiled, so a film whose
        # moment falls between the two readings is counted and due, never neither.
        return self.update(
            film_count_due_at=Subquery(later.values("published_at")[:1]),
            film_count=Coalesce(Subquery(count), 0),
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
        from films.models.films import Film  # which lists its genres through this module's

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


def refresh_genre_counts(genre_ids: Iterable[int]) -> None:
    """Count these genres' films again, now or at the end of genre_counts_deferred()."""
    pending = _deferred_genres.get()
    if pending is None:
        Genre.objects.filter(pk__in=genre_ids).refresh_film_counts()
    else:
        pending.update(genre_ids)
