import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from filmdb.lib.locking import Versioned
from filmdb.lib.publication import PublicationStatus, Scheduled, visible
from filmdb.lib.validators import validate_visible_text
from films.models import Film

MIN_RATING = 1
MAX_RATING = 5


class ReviewQuerySet(models.QuerySet):
    def published(self) -> "ReviewQuerySet":
        return self.filter(visible())

    def for_list(self) -> "ReviewQuerySet":
        """Published reviews of published films, newest first, with their film."""
        return (
            self.published()
            .filter(visible("film__"))
            .select_related("film")
            .order_by("-published_at", "-pk")
        )

    def editable_by(self, user) -> "ReviewQuerySet":
        """Reviews this user may open in the admin: all for editors, their own for critics."""
        if user.has_perm("reviews.change_any_review"):
            return self
        return self.filter(author=user)


class Review(Scheduled, Versioned):
    Status = PublicationStatus

    film = models.ForeignKey(
        Film, on_delete=models.CASCADE, related_name="reviews", verbose_name="Film"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reviews",
        verbose_name="Autor",
    )
    byline = models.CharField(
        "Autorenzeile",
        max_length=200,
        blank=True,
        help_text="So steht der Name unter der Kritik.",
        validators=[validate_visible_text],
    )
    headline = models.CharField(
        "Überschrift", max_length=300, blank=True, validators=[validate_visible_text]
    )
    body = models.TextField(
        "Text", help_text="Absätze durch Leerzeilen trennen.", validators=[validate_visible_text]
    )
    verdict = models.TextField("Fazit", validators=[validate_visible_text])
    rating = models.PositiveSmallIntegerField(
        "Wertung",
        null=True,
        blank=True,
        choices=[
            (stars, f"{stars} von {MAX_RATING} Sternen")
            for stars in range(MIN_RATING, MAX_RATING + 1)
        ],
    )
    # The date under the review. `published_at` says from when visitors see it and moves
    # when an editor withdraws it and publishes it again; this stays at the first moment
    # it was visible (one still to come while it is scheduled). Kept by
    # stamp_first_publication before every write, restores from the history included.
    first_published_at = models.DateTimeField(
        "Erstmals veröffentlicht",
        null=True,
        editable=False,
        help_text="Das Datum unter der Kritik; es bleibt, wenn sie erneut erscheint.",
    )
    created_at = models.DateTimeField("Angelegt", auto_now_add=True)
    updated_at = models.DateTimeField("Geändert", auto_now=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = "Kritik"
        verbose_name_plural = "Kritiken"
        ordering = ["-published_at", "-pk"]
        permissions = [("change_any_review", "Kann Kritiken aller Autoren bearbeiten")]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True)
                | Q(rating__gte=MIN_RATING, rating__lte=MAX_RATING),
                name="reviews_review_rating_range",
                violation_error_message=(
                    f"Die Wertung liegt zwischen {MIN_RATING} und {MAX_RATING} Sternen."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=PublicationStatus.values),
                name="reviews_review_status_valid",
                violation_error_message="Unbekannter Status.",
            ),
            models.CheckConstraint(
                condition=Q(status=PublicationStatus.DRAFT) | Q(published_at__isnull=False),
                name="reviews_review_published_has_date",
                violation_error_message="Eine veröffentlichte Kritik braucht ein Datum.",
            ),
            models.CheckConstraint(
                condition=Q(status=PublicationStatus.DRAFT)
                | Q(first_published_at__isnull=False, first_published_at__lte=F("published_at")),
                name="reviews_review_first_published_not_after_published",
                violation_error_message=(
                    "Eine veröffentlichte Kritik braucht das Datum ihrer ersten "
                    "Veröffentlichung, und das liegt nicht nach ihrem jetzigen."
                ),
            ),
            models.CheckConstraint(
                condition=Q(body__gt="") & Q(verdict__gt=""),
                name="reviews_review_body_and_verdict_present",
                violation_error_message="Eine Kritik braucht einen Text und ein Fazit.",
            ),
        ]
        indexes = [
            # Latest reviews page, home page and feed: newest published reviews first, in
            # their exact order (reviews published at the same moment by id), so that the
            # newest twenty are read from the index without sorting the others.
            models.Index(
                fields=["status", "-published_at", "-id"], name="reviews_review_newest_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.headline or f"Kritik zu {self.film.title}"

    def save(self, *args, **kwargs) -> None:
        self.stamp_publication()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        # After the moment of publication is stamped, before the constraints are validated.
        super().clean()
        self.stamp_first_publication()

    def stamp_first_publication(self, stored: datetime.datetime | None = None) -> None:
        """The earliest moment of publication reached so far (`stored`: the value in the
        database, which a restore would overwrite), else the one to come: once visitors
        have seen the review, a later publication never moves its date."""
        current = self.published_at if self.status == PublicationStatus.PUBLISHED else None
        now = timezone.now()
        reached = [
            moment
            for moment in (stored, self.first_published_at, current)
            if moment is not None and moment <= now
        ]
        self.first_published_at = min(reached) if reached else current

    def get_absolute_url(self) -> str:
        return reverse("films:detail", kwargs={"slug": self.film.slug}) + f"#kritik-{self.pk}"

    def paragraphs(self) -> list[str]:
        return [
            part.strip() for part in self.body.replace("\r\n", "\n").split("\n\n") if part.strip()
        ]

    def lead(self) -> str:
        """The opening paragraph, shown before "Mehr anzeigen"."""
        return next(iter(self.paragraphs()), "")

    def rest(self) -> str:
        """Everything after the opening paragraph, folded behind "Mehr anzeigen"."""
        return "\n\n".join(self.paragraphs()[1:])

    def author_name(self) -> str:
        return self.byline or "filmdb-Redaktion"
