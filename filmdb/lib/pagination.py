from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property


def estimated_row_count(queryset: QuerySet) -> int:
    """PostgreSQL's planner estimate of a table's rows (-1 if it was never analysed)."""
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [queryset.model._meta.db_table],
        )
        row = cursor.fetchone()
    return row[0] if row else -1


class EstimatedCountPaginator(Paginator):
    """A paginator that does not COUNT(*) a whole large table on PostgreSQL.

    The admin counts its changelist on every page; at millions of rows that count is
    the slowest query of the page. An unfiltered list of a big table shows the planner's
    estimate instead; filtered lists and small tables are counted exactly.
    """

    exact_count_below = 50_000

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if (
            isinstance(queryset, QuerySet)
            and connections[queryset.db].vendor == "postgresql"
            and not queryset.query.where
        ):
            estimate = estimated_row_count(queryset)
            if estimate >= self.exact_count_below:
                return estimate
        return super().count
