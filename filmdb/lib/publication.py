"""Publication status: what visitors may see, shared by films and reviews.

A published film or review is visible from its `published_at` on: one set in the future
schedules it, and it appears at that moment with no one saving anything, because the
rule compares with the current time in each query (`visible`).
"""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "Entwurf"
    PUBLISHED = "published", "Veröffentlicht"


class CurrentMoment(Now):
    """The current time, as stored moments are compared with it. SQLite keeps moments as
    text with microseconds but tells the time in milliseconds: there the whole current
    millisecond counts as passed, or a film published this millisecond would stay hidden
    until the next."""

    def as_sqlite(self, compiler, connection, **extra_context):
        template = "(STRFTIME('%%%%Y-%%%%m-%%%%d %%%%H:%%%%M:%%%%f', 'NOW') || '999')"
        return self.as_sql(compiler, connection, template=template, **extra_context)


def visible(prefix: str = "") -> Q:
    """Published, and its moment of publication reached (`prefix`: the lookup path to
    the film or review, e.g. "film__")."""
    return Q(
        **{
            f"{prefix}status": PublicationStatus.PUBLISHED,
            f"{prefix}published_at__lte": CurrentMoment(),
        }
    )


class Scheduled(models.Model):
    """A publication status with its moment: `published_at`, stamped when published."""

    status = models.CharField(
        "Status",
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
    )
    published_at = models.DateTimeField(
        "Veröffentlichen ab",
        null=True,
        blank=True,
        help_text=(
            "Leer: sofort, sobald Sie veröffentlichen. Liegt der Zeitpunkt in der Zukunft, "
            "erscheint es erst dann (geplant)."
        ),
    )

    class Meta:
        abstract = True

    def stamp_publication(self) -> None:
        """Published without a moment is published now."""
        if self.status == PublicationStatus.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()

    def clean(self) -> None:
        # Before the constraints are validated: they require the moment.
        super().clean()
        self.stamp_publication()

    @property
    def is_published(self) -> bool:
        """Whether visitors see it now."""
        return (
            self.status == PublicationStatus.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        """Published, but for a moment still to come."""
        return (
            self.status == PublicationStatus.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    def publication_state(self) -> str:
        """ "Entwurf", "Veröffentlicht" or "geplant: 05.12.2026, 10:00", for the admin."""
        if self.is_scheduled:
            moment = timezone.localtime(self.published_at)
            return f"geplant: {moment:%d.%m.%Y, %H:%M} Uhr"
        return self.get_status_display()
