from collections.abc import Callable, Sequence

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


class CappedCountPaginator(Paginator):
    """A visitors' search paginator that counts its hits exactly up to `cap` only.

    A search word that matches tens of thousands of films would otherwise be counted (and,
    for the last pages, skipped over by OFFSET) in full on every results page. Past the
    cap the page says "mehr als 1.000" and offers the pages up to the cap: nobody reads
    beyond them, and a visitor narrows the search instead.
    """

    cap = 1000

    @cached_property
    def count(self) -> int:
        if not isinstance(self.object_list, QuerySet):
            return len(self.object_list)  # found up to cap + 1 already (RankedRows)
        # Unordered, so that the database stops at the cap's first matches instead of
        # sorting them all, and without the annotations that order them; at most cap + 1
        # rows tell "more than the cap".
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        """More hits than were counted."""
        return self.count > self.cap

    @cached_property
    def num_pages(self) -> int:
        return super().num_pages if not self.capped else -(-self.cap // self.per_page)


class RankedRows(Sequence):
    """Rows a search found and ranked, as their primary keys in rank order (up to a
    `CappedCountPaginator`'s cap + 1); the rows of a page are read by `load` (from their
    primary keys, in that order) when the page asks for them."""

    def __init__(self, ids: list, load: Callable[[list], list]) -> None:
        self.ids = ids
        self.load = load

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1 or None][0]
        return self.load(self.ids[index])
