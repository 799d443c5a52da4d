import datetime
import functools
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import F, Q
from django.db.models.functions import Cast, Concat

from filmdb.lib.fields import ImdbIdField, imdb_id_format_constraint
from filmdb.lib.folding import (
    filter_folded,
    fold_for_search,
    german_slugify,
    query_words,
    word_spellings,
)
from filmdb.lib.images import (
    ImageFiles,
    SafeImageField,
    image_credit_field,
    image_credit_note_field,
)
from filmdb.lib.locking import Versioned
from filmdb.lib.publication import CurrentMoment, visible
from filmdb.lib.slugs import SlugRedirect
from filmdb.lib.subqueries import AnyOf
from filmdb.lib.urls import remembered_reverse
from filmdb.lib.validators import validate_visible_text
from films.models import Film

# "Bekannt für" on the person page: this many of their most popular films.
KNOWN_FOR_FILMS = 4


class PersonQuerySet(models.QuerySet):
    def matching(self, query: str) -> "PersonQuerySet":
        """People whose name has words beginning with every word of `query`, folded, in
        any order.

        Gathered first (AnyOf): PostgreSQL's planner guesses 2 % of all people for any
        beginning of a word, and to keep the one person with a role it joined all 5.7
        million cast credits (3.3 s instead of 0.2 ms).
        """
        if not query_words(query):
            return self
        return self.filter(AnyOf("pk", filter_folded(self.model.objects, query).values("pk")))

    def search(self, query: str) -> "PersonQuerySet":
        """`matching`, names starting with the query first, then by name."""
        if not query_words(query):
            return self.none()
        return self.matching(query).by_name_match(query)

    def by_name_match(self, query: str) -> "PersonQuerySet":
        """Names starting with the query first, then names with a word starting with it,
        then by name."""
        first = word_spellings(query_words(query)[0])[0]
        prefix = models.Case(
            models.When(search_text__startswith=first, then=0),
            models.When(search_text__contains=f" {first}", then=1),
            default=2,
            output_field=models.IntegerField(),
        )
        return self.annotate(prefix=prefix).order_by("prefix", "name", "pk")

    def published(self) -> "PersonQuerySet":
        """People visitors see: those with a credit on a visible film. A person known only
        from drafts or scheduled films, or not yet from any film, stays unpublished until
        one of their films is visible, as a film stays until its moment.

        Read from `published_from`, compared with the current time in the query, so that
        a scheduled film's people appear with it without anyone saving anything.
        """
        return self.filter(published_from__lte=CurrentMoment())

    def visible_to(self, user) -> "PersonQuerySet":
        """Published people; staff also see unpublished ones."""
        return self if user.is_staff else self.published()

    def with_role(self, role: str) -> "PersonQuerySet":
        """People with at least one credit of `role` on a published film (so published).

        Public people first (their column, in the row already read): the credits are
        looked up only for them."""
        return self.published().filter(models.Exists(_visible_credits().filter(role=role)))

    def with_known_for(self, role: str | None = None) -> "PersonQuerySet":
        """Annotate `known_from`, the film a visitor will place a person by, as "Title
        (year)": their newest published film (billing order is per film and says nothing
        across films)."""
        return self.annotate(known_from=_known_from(role))

    def for_detail(self, *, with_drafts: bool = False) -> "PersonQuerySet":
        """The person page: their credits with film (and voiced actor), newest film first."""
        credits = Credit.objects.select_related("film", "voices__person").order_by(
            models.F("film__year").desc(nulls_last=True), "film__title", "order"
        )
        if not with_drafts:
            credits = credits.filter(visible("film__"))
        return self.prefetch_related(models.Prefetch("credits", queryset=credits))


@functools.cache
def _known_from(role: str | None) -> models.Subquery:
    """`with_known_for`'s subquery, built once per role: building it took a third of a
    suggestion's time in Python. One subquery: one each for title and year read the
    credits twice. (It compares with the current time in the query, not here.)"""
    credits = _visible_credits()
    if role:
        credits = credits.filter(role=role)
    best = credits.order_by(models.F("film__year").desc(nulls_last=True), "order", "pk")
    label = models.Case(
        models.When(film__year__isnull=True, then=F("film__title")),
        default=Concat(
            F("film__title"),
            models.Value(" ("),
            Cast("film__year", models.CharField()),
            models.Value(")"),
        ),
        output_field=models.CharField(),
    )
    return models.Subquery(best.annotate(label=label).values("label")[:1])


def _visible_credits() -> models.QuerySet:
    """The outer person's credits on films visitors see."""
    return Credit.objects.filter(visible("film__"), person=models.OuterRef("pk"))


class Person(ImageFiles, Versioned):
    name = models.CharField("Name", max_length=200, validators=[validate_visible_text])
    slug = models.SlugField("Slug", max_length=220, db_index=False)  # unique constraint below
    birth_date = models.DateField("Geburtsdatum", null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        "Geburtsjahr", null=True, blank=True, help_text="Wird aus dem Geburtsdatum übernommen."
    )
    birth_place = models.CharField(
        "Geburtsort", max_length=200, blank=True, validators=[validate_visible_text]
    )
    death_date = models.DateField("Sterbedatum", null=True, blank=True)
    death_year = models.PositiveSmallIntegerField(
        "Sterbejahr", null=True, blank=True, help_text="Wird aus dem Sterbedatum übernommen."
    )
    death_place = models.CharField(
        "Sterbeort", max_length=200, blank=True, validators=[validate_visible_text]
    )
    bio = models.TextField("Biografie", blank=True, validators=[validate_visible_text])
    photo = SafeImageField(
        "Foto",
        upload_to="people/",
        blank=True,
        width_field="photo_width",
        height_field="photo_height",
        help_text="JPEG, PNG oder WebP, höchstens 20 MB und 40 Megapixel.",
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_credit = image_credit_field()
    photo_credit_note = image_credit_note_field()
    imdb_id = ImdbIdField(prefix="nm")
    search_text = models.TextField(editable=False, blank=True)
    # The values the last IMDb import wrote (see Film.imdb_snapshot).
    imdb_snapshot = models.TextField(editable=False, blank=True)
    # The earliest moment of publication of the published films they are credited on
    # (one still to come included), NULL while there is none: visitors see them from
    # then on (PersonQuerySet.published). Kept by people.visibility after every write to
    # their credits or their films' publication, by the import and by generate_films;
    # checking each person's credits in the query took the people sitemap 4.2 s.
    published_from = models.DateTimeField("Öffentlich ab", null=True, editable=False)
    created_at = models.DateTimeField("Angelegt", auto_now_add=True)
    updated_at = models.DateTimeField("Geändert", auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "Person"
        verbose_name_plural = "Personen"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="people_person_unique_slug"),
            # NULL when unset, so "unique when set" is a plain unique constraint.
            models.UniqueConstraint(fields=["imdb_id"], name="people_person_unique_imdb_id"),
            imdb_id_format_constraint(name="people_person_imdb_id_format", prefix="nm"),
            models.CheckConstraint(
                condition=Q(death_year__isnull=True)
                | Q(birth_year__isnull=True)
                | Q(death_year__gte=F("birth_year")),
                name="people_person_death_after_birth",
                violation_error_message="Das Sterbedatum liegt vor dem Geburtsdatum.",
            ),
            models.CheckConstraint(
                condition=Q(death_date__isnull=True)
                | Q(birth_date__isnull=True)
                | Q(death_date__gte=F("birth_date")),
                name="people_person_death_date_after_birth_date",
                violation_error_message="Das Sterbedatum liegt vor dem Geburtsdatum.",
            ),
            models.CheckConstraint(
                condition=Q(name__gt="") & Q(slug__gt=""),
                name="people_person_name_and_slug_present",
                violation_error_message="Eine Person braucht einen Namen und einen Slug.",
            ),
        ]
        indexes = [
            # Person list and admin changelist: people by name.
            models.Index(fields=["name"], name="people_person_name_idx"),
            # The suggestions' people whose folded names begin with a few letters, in
            # order (PostgreSQL: LIKE 'tra%' with the pattern operators).
            models.Index(
                fields=["search_text"],
                opclasses=["text_pattern_ops"],
                name="people_person_name_prefix_idx",
            ),
            # The people sitemap: public people by id, and their count, from the index
            # alone (the moment compared with now is included; NULL, never public, left
            # out). PostgreSQL proves `published_from <= <the moment>` implies the condition.
            models.Index(
                fields=["id"],
                include=["published_from"],
                condition=Q(published_from__isnull=False),
                name="people_person_public_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = german_slugify(self.name)
        if self.birth_date:
            self.birth_year = self.birth_date.year
        if self.death_date:
            self.death_year = self.death_date.year
        self.fold_search_texts()
        super().save(*args, **kwargs)

    # What fold_search_texts() writes, for writes that bypass save().
    FOLDED_FIELDS = ["search_text"]

    def fold_search_texts(self) -> None:
        self.search_text = fold_for_search(self.name)

    def get_absolute_url(self) -> str:
        return remembered_reverse("people:detail", slug=self.slug)

    @property
    def photo_url(self) -> str:
        return self.photo.url if self.photo else ""

    def filmography(self) -> list[tuple[str, list["Credit"]]]:
        """(heading, credits) in role order, from the prefetched credits."""
        groups: dict[str, list[Credit]] = {role: [] for role in Credit.Role.values}
        for credit in self.credits.all():
            groups[credit.role].append(credit)
        return [
            (Credit.FILMOGRAPHY_HEADINGS[role], credits)
            for role, credits in groups.items()
            if credits
        ]

    def known_for(self) -> list[Film]:
        """Their most popular published films (each once, the most popular first), up to
        KNOWN_FOR_FILMS, from the prefetched credits: no query of their own."""
        films = {credit.film.pk: credit.film for credit in self.credits.all()}
        published = [film for film in films.values() if film.is_published]
        published.sort(key=lambda film: (-film.popularity, -(film.year or 0), film.title))
        return published[:KNOWN_FOR_FILMS]

    @property
    def is_published(self) -> bool:
        """Whether visitors see this person: one of their films (in the prefetched credits,
        as for_detail() reads them) is visible."""
        return any(credit.film.is_published for credit in self.credits.all())

    @property
    def scheduled_for(self) -> datetime.datetime | None:
        """While none of their films is visible, the moment the first scheduled one appears."""
        if self.is_published:
            return None
        films = [credit.film for credit in self.credits.all()]
        return min((film.published_at for film in films if film.is_scheduled), default=None)

    def clean(self) -> None:
        errors = {}
        if self.birth_date and self.birth_year and self.birth_year != self.birth_date.year:
            errors["birth_year"] = "Das Geburtsjahr passt nicht zum Geburtsdatum."
        if self.death_date and self.death_year and self.death_year != self.death_date.year:
            errors["death_year"] = "Das Sterbejahr passt nicht zum Sterbedatum."
        if errors:
            raise ValidationError(errors)


class CreditRole(models.TextChoices):
    """The roles in the order the film page lists them, with its German headings: the one
    vocabulary of roles (Credit.Role), for the search, the import and the generator too."""

    DIRECTOR = "director", "Regisseur"
    PRODUCER = "producer", "Produzent"
    CAST = "cast", "Darsteller"
    WRITER = "writer", "Drehbuch"
    COMPOSER = "composer", "Musik"
    CINEMATOGRAPHER = "cinematographer", "Kamera"
    EDITOR = "editor", "Schnitt"
    CASTING = "casting", "Casting"
    DUBBING = "dubbing", "Synchronsprecher"


class Credit(models.Model):
    Role = CreditRole

    # Headings of a person's filmography, by role.
    FILMOGRAPHY_HEADINGS = {
        Role.DIRECTOR: "Regie",
        Role.PRODUCER: "Produktion",
        Role.CAST: "Darsteller",
        Role.WRITER: "Drehbuch",
        Role.COMPOSER: "Musik",
        Role.CINEMATOGRAPHER: "Kamera",
        Role.EDITOR: "Schnitt",
        Role.CASTING: "Casting",
        Role.DUBBING: "Deutsche Synchronstimme",
    }

    # No single-column indexes: the indexes below start with film and with person.
    film = models.ForeignKey(
        Film, on_delete=models.CASCADE, related_name="credits", verbose_name="Film", db_index=False
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="credits",
        verbose_name="Person",
        db_index=False,
    )
    role = models.CharField("Funktion", max_length=20, choices=Role.choices)
    character = models.CharField(
        "Rolle",
        max_length=300,
        blank=True,
        help_text="Nur bei Darstellern und Synchronsprechern.",
        validators=[validate_visible_text],
    )
    voices = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        db_index=False,  # partial index below
        related_name="dub_voices",
        verbose_name="spricht",
        help_text="Nur bei Synchronsprechern: der Darsteller, dem sie ihre Stimme leihen.",
    )
    order = models.PositiveSmallIntegerField("Reihenfolge", default=0)
    # Its place among its film's credits of the same role (0: billed first), by `order`
    # and then id: the film page lists producers before the cast, so `order` alone would
    # put a lead actor behind the producers. Kept by rebill_films() after every write to a
    # film's credits; the search ranks films where a searched person leads first, and
    # counting each found credit's predecessors took half of a search for a name
    # that 2,017 people share.
    billing = models.PositiveIntegerField("Platz in der Funktion", default=0, editable=False)

    class Meta:
        verbose_name = "Mitwirkung"
        verbose_name_plural = "Besetzung und Crew"
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["film", "person", "role", "character"],
                name="people_credit_unique_film_person_role_character",
                violation_error_message=(
                    "Diese Person ist in diesem Film schon "
                    "mit dieser Funktion und Rolle eingetragen."
                ),
            ),
            models.CheckConstraint(
                condition=Q(role__in=CreditRole.values),
                name="people_credit_role_valid",
                violation_error_message="Unbekannte Funktion.",
            ),
            models.CheckConstraint(
                condition=Q(role__in=[CreditRole.CAST, CreditRole.DUBBING]) | Q(character=""),
                name="people_credit_character_only_for_cast",
                violation_error_message="Eine Rolle haben nur Darsteller und Synchronsprecher.",
            ),
            models.CheckConstraint(
                condition=Q(role=CreditRole.DUBBING, voices__isnull=False)
                | (~Q(role=CreditRole.DUBBING) & Q(voices__isnull=True)),
                name="people_credit_voices_only_for_dubbing",
                violation_error_message=(
                    "Ein Synchronsprecher spricht genau einen Darsteller; "
                    "andere Funktionen sprechen niemanden."
                ),
            ),
        ]
        indexes = [
            # The film page and the search's per-film Exists read a film's credits through
            # the unique constraint's index, which starts with film.
            # Person page (filmography by role) and search by director or actor.
            models.Index(fields=["person", "role"], name="people_credit_person_role_idx"),
            # Deleting a cast credit finds its dub voices; most credits voice no one.
            models.Index(
                fields=["voices"],
                condition=Q(voices__isnull=False),
                name="people_credit_voices_idx",
            ),
        ]

    def __str__(self) -> str:
        label = f"{self.person} – {self.get_role_display()}"
        return f"{label} ({self.character})" if self.character else label

    def clean(self) -> None:
        if self.voices_id is None:
            return
        voiced = self.voices
        if voiced.role != Credit.Role.CAST or voiced.film_id != self.film_id:
            raise ValidationError(
                {"voices": "Ein Synchronsprecher spricht einen Darsteller desselben Films."}
            )


def rebill_sql(films: str) -> str:
    """SQL that sets the billing of every credit of the films whose ids the SQL `films`
    selects, writing only the credits whose billing changes."""
    table = Credit._meta.db_table
    order = connection.ops.quote_name("order")
    return f"""
        UPDATE {table} SET billing = billed.billing
        FROM (
            SELECT id, ROW_NUMBER() OVER (
                PARTITION BY film_id, role ORDER BY {order}, id
            ) - 1 AS billing
            FROM {table} WHERE film_id IN ({films})
        ) AS billed
        WHERE {table}.id = billed.id AND {table}.billing <> billed.billing
    """


def rebill_films(film_ids: Iterable[int]) -> None:
    """Set the billing of every credit of these films."""
    film_ids = list(film_ids)
    if film_ids:
        with connection.cursor() as cursor:
            cursor.execute(rebill_sql(", ".join("%s" for _ in film_ids)), film_ids)


class PersonRedirect(SlugRedirect):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="redirects")

    owner_field = "person"

    class Meta:
        verbose_name = "Alte Personenadresse"
        verbose_name_plural = "Alte Personenadressen"
        ordering = ["old_slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["old_slug"], name="people_personredirect_unique_old_slug"
            )
        ]
