"""Each credit's billing (its place among its film's credits of the same role, by order
and id), worked out again from scratch for the tests to compare."""

from itertools import groupby

from people.models import Credit


def places() -> dict[int, int]:
    """Every credit's place by the rule, by its id."""
    rows = Credit.objects.order_by("film_id", "role", "order", "pk").values_list(
        "film_id", "role", "pk"
    )
    return {
        pk: place
        for _, credits in groupby(rows, key=lambda row: row[:2])
        for place, (_, _, pk) in enumerate(credits)
    }


def misbilled() -> list[tuple[int, int, int]]:
    """(id, stored billing, place) of each credit whose stored billing is not its place."""
    expected = places()
    return [
        (pk, billing, expected[pk])
        for pk, billing in Credit.objects.values_list("pk", "billing")
        if billing != expected[pk]
    ]
