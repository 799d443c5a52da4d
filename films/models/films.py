"""Films, their alternative titles and their former addresses."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from filmdb.lib.fields import ImdbIdField, imdb_id_format_constraint
from filmdb.lib.folding import filter_folded, fold_for_search, fold_title, german_slugify
from filmdb.lib.images import (
    ImageFiles,
    SafeImageField,
    image_credit_field,
    image_credit_note_field,
)
from filmdb.lib.locking import Versioned
from filmdb.lib.publication import PublicationStatus, Scheduled, visible
from filmdb.lib.slugs import SlugRedirect
from filmdb.lib.urls import remembered_reverse
from filmdb.lib.validators import validate_visible_text
from films.models.genres import (
    BEST_FIRST,
    NEWEST_FIRST,
    Genre,
    GenreListing,
    refresh_genre_counts,
)

FIRST_FILM_YEAR = 1870
LAST_FILM_YEAR = 2100


class FilmQuerySet(models.QuerySet):
    def delete(self) -> tuple[int, dict[str, int]]:
        """Delete the films, and count the genres that listed them again."""
        genres = set(
            GenreListing.objects.filter(film__in=self.values("pk")).values_list(
                "genre_id", flat=True
            )
        )
        deleted = super().delete()
        refresh_genre_counts(genres)
        return deleted

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

    def best(self) -> "FilmQuerySet":
        """The rated films, best first, as the Bestenliste ranks them (films_film_best_idx)."""
        return self.filter(rating_count__gt=0).order_by(*BEST_FIRST, "pk")

    def by_title(self) -> "FilmQuerySet":
        return self.order_by("title", "pk")

    def oldest(self) -> "FilmQuerySet":
        return self.order_by(Coalesce("year", LAST_FILM_YEAR + 1), "pk")


class Film(ImageFiles, Scheduled, Versioned):
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
    # title and titles starting with its words first (filmdb.pages.search.by_relevance).
    title_key = models.TextField(editable=False, blank=True, default="", db_default="")
    original_title_key = models.TextField(editable=False, blank=True, default="", db_default="")
    # What orders search results within their relevance: the film's credits and
    # REVIEW_WEIGHT for each published review, counted again by filmdb.popularity when
    # one of them is saved or deleted, and by the import.
    popularity = models.PositiveIntegerField("Beliebtheit", default=0, db_default=0, editable=False)
    # The average and number of its published critics' ratings, counted again by
    # reviews.ratings when a review is saved or deleted: the Bestenliste ranks films by
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
            # The films whose ratings a scheduled review will make due
            # (reviews.ratings.refresh_due_ratings).
            models.Index(
                fields=["ratings_due_at"],
                condition=Q(ratings_due_at__isnull=False),
                name="films_film_ratings_due_idx",
            ),
            # Common words and broad names in a search: the most popular films first
            # (filmdb.pages.search), their folded titles tested as the index is read.
            models.Index(
                models.F("popularity").desc(),
                models.F("id").desc(),
                include=["published_at", "search_text"],
                condition=Q(status="published"),
                name="films_film_popular_idx",
            ),
            # Bestenliste: the rated published films, best first
            # (filmdb.pages.review_views.rated_films).
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

    def delete(self, *args, **kwargs) -> tuple[int, dict[str, int]]:
        """Delete the film, and count the genres that listed it again (its listings go
        with it)."""
        genres = list(GenreListing.objects.filter(film=self).values_list("genre_id", flat=True))
        deleted = super().delete(*args, **kwargs)
        refresh_genre_counts(genres)
        return deleted

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
