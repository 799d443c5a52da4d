"""Publication status: what visitors may see, shared by films and reviews.

A published film or review is visible from its `published_at` on: one set in the future
schedules it, and it appears at that moment with no one saving anything, because the
rule compares with the current time in each query (`visible`).
"""

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Expression, Q
from django.utils import timezone


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "Entwurf"
    PUBLISHED = "published", "Veröffentlicht"


# Stands for the current moment among the parameters of a query compiled once and run
# many times (compiled under `moment_stand_in()`): each run puts in the moment it runs at
# (`moment_param()`).
MOMENT = "current moment"
_stand_in: ContextVar[bool] = ContextVar("moment_stand_in", default=False)


class CurrentMoment(Expression):
    """The current time, as stored moments are compared with it: the site's clock
    (`timezone.now()`), read as the query is compiled, that is when it runs, and sent as
    a parameter. Not the database's clock: what a query shows then agrees with what the
    code around it decides from the same clock (`is_published`, the page cache's next
    moment), and a test that moves the clock moves both. Each reference reads the clock
    on its own, so two in one query may differ by microseconds."""

    output_field = models.DateTimeField()

    def as_sql(self, compiler, connection):
        return "%s", [MOMENT if _stand_in.get() else moment_param(connection)]


def moment_param(connection: BaseDatabaseWrapper) -> object:
    """The current time as a query's parameter, adapted as a field's value is (SQLite
    compares the text it stores)."""
    return CurrentMoment.output_field.get_db_prep_value(timezone.now(), connection)


@contextlib.contextmanager
def moment_stand_in() -> Iterator[None]:
    """Compile CurrentMoment to MOMENT, for a query compiled once: the time of compiling
    would be kept with it."""
    token = _stand_in.set(True)
    try:
        yield
    finally:
        _stand_in.reset(token)


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
