from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce

from filmdb.lib.fields import ImdbIdField, imdb_id_format_constraint
from filmdb.lib.folding import (
    filter_folded,
    fold_for_search,
    folded_condition,
    german_slugify,
    query_words,
)
from filmdb.lib.images import SafeImageField
from filmdb.lib.locking import Versioned
from filmdb.lib.publication import PublicationStatus
from filmdb.lib.slugs import SlugRedirect
from filmdb.lib.urls import remembered_reverse
from filmdb.lib.validators import validate_visible_text

FIRST_FILM_YEAR = 1870
LAST_FILM_YEAR = 2100

# Newest films first, films without a year last. The same expressions make up the index
# that serves this order; NULLS LAST is avoided because SQLite cannot index it.
NEWEST_FIRST = (Coalesce("year", 0).desc(), models.F("id").desc())

http_url_validator = URLValidator(
    schemes=["http", "https"],
    message="Gib eine Adresse ein, die mit http:// oder https:// beginnt.",
)


class Genre(models.Model):
    name = models.CharField("Name", max_length=100, validators=[validate_visible_text])
    # Unique constraints index the slugs; SlugField's own index would be a second one.
    slug = models.SlugField("Slug", max_length=100, db_index=False)

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


def related_manager(model: type[models.Model], name: str) -> models.Manager:
    """The default manager of the model behind the reverse relation `name`.

    Films reach credits and reviews only through their reverse relations: `films`
    imports neither `people` nor `reviews`.
    """
    return model._meta.get_field(name).related_model._default_manager


class FilmQuerySet(models.QuerySet):
    def published(self) -> "FilmQuerySet":
        return self.filter(status=Film.Status.PUBLISHED)

    def visible_to(self, user) -> "FilmQuerySet":
        """Published films; staff also see drafts."""
        return self if user.is_staff else self.published()

    def for_cards(self) -> "FilmQuerySet":
        """What a film card shows: genres, up to three directors and the first three actors."""
        credits = related_manager(Film, "credits").select_related("person").order_by("order", "pk")
        return self.prefetch_related(
            models.Prefetch(
                "credits", queryset=credits.filter(role="director")[:3], to_attr="card_directors"
            ),
            models.Prefetch(
                "credits", queryset=credits.filter(role="cast")[:3], to_attr="card_cast"
            ),
        )

    def newest(self) -> "FilmQuerySet":
        return self.order_by(*NEWEST_FIRST)

    def matching(self, query: str) -> "FilmQuerySet":
        """Films whose German or original title contains every word of `query`, folded."""
        return filter_folded(self, query)

    def search(self, query: str) -> "FilmQuerySet":
        """Films whose title, original title, an alternative title or a credited person's
        name contains every word of `query` (folded, any order). Each film once."""
        if not query_words(query):
            return self
        # `pk IN (...)`: PostgreSQL computes each set once by its trigram index (an OR of
        # correlated EXISTS would run both subqueries for every film).
        alternative_titles = AlternativeTitle.objects.filter(folded_condition(query))
        people = related_manager(Film, "credits").filter(
            folded_condition(query, "person__search_text")
        )
        return self.filter(
            folded_condition(query)
            | Q(pk__in=alternative_titles.values("film_id"))
            | Q(pk__in=people.values("film_id"))
        )

    def with_person(self, role: str, name: str) -> "FilmQuerySet":
        """Films with a credit of `role` whose person's name contains every word of `name`.

        An Exists subquery per condition: several conditions each hold through their own
        credit, and no join multiplies the rows.
        """
        if not query_words(name):
            return self  # punctuation alone names nobody: no condition, as with `q`
        credits = related_manager(Film, "credits").filter(
            folded_condition(name, "person__search_text"), film=models.OuterRef("pk"), role=role
        )
        return self.filter(models.Exists(credits))

    def by_relevance(self, query: str) -> "FilmQuerySet":
        """Exact title matches first, then titles starting with the query, then the rest;
        newest first within each."""
        query = query.strip()
        relevance = models.Case(
            models.When(Q(title__iexact=query) | Q(original_title__iexact=query), then=0),
            models.When(Q(title__istartswith=query) | Q(original_title__istartswith=query), then=1),
            default=2,
            output_field=models.IntegerField(),
        )
        return self.annotate(relevance=relevance).order_by("relevance", *NEWEST_FIRST)

    def by_title(self) -> "FilmQuerySet":
        return self.order_by("title", "pk")

    def oldest(self) -> "FilmQuerySet":
        return self.order_by(Coalesce("year", LAST_FILM_YEAR + 1), "pk")


class Film(Versioned):
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
    imdb_id = ImdbIdField(prefix="tt")
    status = models.CharField("Status", max_length=10, choices=Status.choices, default=Status.DRAFT)
    search_text = models.TextField(editable=False, blank=True)
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
                condition=Q(title__gt="") & Q(slug__gt=""),
                name="films_film_title_and_slug_present",
                violation_error_message="Ein Film braucht einen Titel und einen Slug.",
            ),
        ]
        indexes = [
            # Home page and film list: newest published films first (FilmQuerySet.newest),
            # read in index order instead of sorting every published film.
            models.Index("status", *NEWEST_FIRST, name="films_film_status_newest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})" if self.year else self.title

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = german_slugify(f"{self.title} {self.year or ''}")
        self.search_text = fold_for_search(self.title, self.original_title)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return remembered_reverse("films:detail", slug=self.slug)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

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
