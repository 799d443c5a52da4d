"""The site's own pages: the Impressum and the privacy notice, kept by the Redaktion."""

from django.db import models
from django.db.models import Q
from django.urls import reverse

from filmdb.lib.locking import Versioned
from filmdb.lib.validators import validate_visible_text

HEADING = "## "


class InfoPageKind(models.TextChoices):
    IMPRESSUM = "impressum", "Impressum"
    PRIVACY = "datenschutz", "Datenschutzerklärung"


class InfoPage(Versioned):
    Kind = InfoPageKind
    kind = models.CharField("Seite", max_length=20, choices=Kind.choices)
    title = models.CharField("Überschrift", max_length=200, validators=[validate_visible_text])
    body = models.TextField(
        "Text",
        validators=[validate_visible_text],
        help_text=(
            "Absätze trennen Sie durch eine Leerzeile. Eine Zeile, die mit „## “ beginnt, "
            "wird eine Zwischenüberschrift."
        ),
    )
    updated_at = models.DateTimeField("Geändert", auto_now=True)

    class Meta:
        verbose_name = "Seite"
        verbose_name_plural = "Seiten (Impressum, Datenschutz)"
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                name="filmdb_infopage_unique_kind",
                violation_error_message="Diese Seite gibt es schon.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=InfoPageKind.values),
                name="filmdb_infopage_kind_valid",
                violation_error_message="Unbekannte Seite.",
            ),
            models.CheckConstraint(
                condition=Q(title__gt="") & Q(body__gt=""),
                name="filmdb_infopage_title_and_body_present",
                violation_error_message="Eine Seite braucht eine Überschrift und einen Text.",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    def get_absolute_url(self) -> str:
        return reverse(self.kind)

    def blocks(self) -> list[tuple[str, str]]:
        """The body as ("h2", heading) and ("p", paragraph) blocks, in order."""
        blocks = []
        for part in self.body.replace("\r\n", "\n").split("\n\n"):
            lines = [line.strip() for line in part.strip().split("\n")]
            while lines and lines[0].startswith(HEADING.strip()):
                blocks.append(("h2", lines.pop(0).lstrip("#").strip()))
            if text := "\n".join(line for line in lines if line):
                blocks.append(("p", text))
        return [(kind, text) for kind, text in blocks if text]
