"""`value = ANY(ARRAY(subquery))`: a subquery that runs once, before the rows it selects.

    Film.objects.filter(AnyOf("pk", Credit.objects.filter(...).values("film_id")))

PostgreSQL runs the subquery first, as an init plan, and looks its values up in the
index on `value` (the primary key, say). `pk IN (subquery)` and `EXISTS (…)` leave the
order to the planner, whose guess of how many rows a `LIKE '%…%'` matches can be off by
hundreds: for a name that one person has, it read all 700,000 films newest first and
looked for the name in each film's credits (20 s instead of 12 ms). SQLite gets `IN`.
"""

import json
import re

from django.db.models import BooleanField, F, Func, Subquery


class AnyOf(Func):
    """True where `field` is one of the values the one-column `queryset` selects."""

    output_field = BooleanField()

    def __init__(self, field: str, queryset) -> None:
        # Unordered: a model's default ordering would sort the values for nothing (a
        # slice keeps its order, which chooses the rows).
        if not queryset.query.is_sliced:
            queryset = queryset.order_by()
        super().__init__(F(field), Subquery(queryset))

    def as_sql(self, compiler, connection, **extra_context):
        value, value_params = compiler.compile(self.source_expressions[0])
        subquery, subquery_params = compiler.compile(self.source_expressions[1])
        if connection.vendor == "postgresql":
            return f"{value} = ANY(ARRAY{subquery})", (*value_params, *subquery_params)
        return f"{value} IN {subquery}", (*value_params, *subquery_params)


class OneOf(Func):
    """True where `field` is one of `values`, a list of integers passed as one parameter:
    `= ANY(%s)` on PostgreSQL (an array, which its planner sees whole and hashes), a JSON
    array on SQLite (which allows only so many parameters)."""

    output_field = BooleanField()

    def __init__(self, field: str, values: list[int]) -> None:
        super().__init__(F(field))
        self.values = [int(value) for value in values]

    def as_sql(self, compiler, connection, **extra_context):
        value, params = compiler.compile(self.source_expressions[0])
        sql, values = one_of(value, self.values, connection.vendor)
        return sql, (*params, *values)


def one_of(column: str, values: list[int], vendor: str) -> tuple[str, list]:
    """SQL and parameters for "`column` is one of `values`" (see OneOf)."""
    return one_of_named(column, "%s", vendor), [one_of_value(values, vendor)]


def one_of_named(column: str, placeholder: str, vendor: str) -> str:
    """SQL for "`column` is one of the values of the parameter `placeholder`" (`%s`, or
    a named one such as `%(ids)s`), which one_of_value() gives."""
    if vendor == "postgresql":
        return f"{column} = ANY({placeholder})"
    return f"{column} IN (SELECT value FROM json_each({placeholder}))"


def one_of_value(values: list[int], vendor: str) -> list[int] | str:
    """The parameter of one_of_named(): an array on PostgreSQL, JSON on SQLite."""
    return values if vendor == "postgresql" else json.dumps(values)


def named_parameters(sql: str, params, prefix: str) -> tuple[str, dict]:
    """Compiled SQL (`%s` placeholders, `%%` for a percent sign, as Django compiles a
    queryset) with its parameters named `prefix0`, `prefix1`, …: for a statement written
    with named parameters around it."""
    params = list(params)
    names = iter(range(len(params)))

    def name(match: re.Match) -> str:
        return "%%" if match.group(1) == "%" else f"%({prefix}{next(names)})s"

    return re.sub(r"%(%|s)", name, sql), {f"{prefix}{i}": value for i, value in enumerate(params)}
