"""IMDb ids: one definition of their form for the field, its form check and the database."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

# The prefix and up to ten digits: room for IMDb's next few billion ids.
IMDB_ID_MAX_LENGTH = 12

# IMDb's id prefixes, what each names in the editors' words, and an example id.
IMDB_ID_KINDS = {
    "tt": ("Filme", "tt2053425"),
    "nm": ("Personen", "nm0041952"),
}


def imdb_id_pattern(prefix: str) -> str:
    """The prefix and at least seven digits, e.g. tt2053425 (newer ids have eight)."""
    return rf"^{prefix}[0-9]{{7,}}$"


def imdb_id_message(prefix: str) -> str:
    kind, example = IMDB_ID_KINDS[prefix]
    return f"Eine IMDb-ID für {kind} sieht so aus: {example}."


class ImdbIdField(models.CharField):
    """An optional IMDb id with `prefix` ("tt" for titles, "nm" for names).

    NULL when unset (not ""), so that "unique when set" is a plain unique constraint.
    Pair it with `imdb_id_format_constraint` so the database refuses what the form does.
    """

    def __init__(self, verbose_name: str = "IMDb-ID", *, prefix: str, **kwargs) -> None:
        self.prefix = prefix
        kwargs.update(max_length=IMDB_ID_MAX_LENGTH, null=True, blank=True)
        kwargs.setdefault("help_text", f"z. B. {IMDB_ID_KINDS[prefix][1]}")
        super().__init__(verbose_name, **kwargs)

    @property
    def default_validators(self) -> list:
        return [RegexValidator(imdb_id_pattern(self.prefix), imdb_id_message(self.prefix))]

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["prefix"] = self.prefix
        for derived in ["max_length", "null", "blank"]:
            del kwargs[derived]
        return name, path, args, kwargs


def imdb_id_format_constraint(
    *, name: str, prefix: str, field: str = "imdb_id"
) -> models.CheckConstraint:
    """The database's check that `field` is NULL or an IMDb id with `prefix`."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True})
        | Q(**{f"{field}__regex": imdb_id_pattern(prefix)}),
        name=name,
        violation_error_message=imdb_id_message(prefix),
    )
