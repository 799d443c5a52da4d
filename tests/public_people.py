"""Each person's moment of publication (the earliest `published_at` of their published
films), worked out again from scratch for the tests to compare with Person.published_from."""

import datetime

from films.models import Film
from people.models import Credit, Person


def moments() -> dict[int, datetime.datetime | None]:
    """Every person's moment by the rule, by their id."""
    expected: dict[int, datetime.datetime | None] = dict.fromkeys(
        Person.objects.values_list("pk", flat=True)
    )
    published = Credit.objects.filter(film__status=Film.Status.PUBLISHED)
    for person_id, moment in published.values_list("person_id", "film__published_at"):
        first = expected[person_id]
        expected[person_id] = moment if first is None else min(first, moment)
    return expected


def mispublished() -> list[tuple[str, datetime.datetime | None, datetime.datetime | None]]:
    """(name, stored moment, moment by the rule) of each person whose stored moment is
    not the rule's."""
    expected = moments()
    return [
        (name, stored, expected[pk])
        for pk, name, stored in Person.objects.values_list("pk", "name", "published_from")
        if stored != expected[pk]
    ]
