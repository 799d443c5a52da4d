"""When the pages change with no save: the next scheduled publication of a film or
review, which the page cache keeps pages until at most (filmdb.lib.page_cache)."""

import datetime

from django.db.models import Q

from filmdb.lib.publication import CurrentMoment, PublicationStatus
from filmdb.lib.replicas import read_connection
from films.models import Film
from reviews.models import Review


def next_publication() -> datetime.datetime | None:
    """The next moment a published film or review becomes visible, if one is scheduled:
    one query."""
    later = Q(status=PublicationStatus.PUBLISHED, published_at__gt=CurrentMoment())
    firsts = [
        manager.filter(later).order_by("published_at").values("published_at")[:1].query
        for manager in (Film._base_manager, Review.objects)
    ]
    compiled = [query.sql_with_params() for query in firsts]
    with read_connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join(f"({sql})" for sql, _ in compiled),
            [param for _, params in compiled for param in params],
        )
        moments = [_aware(moment) for moment in cursor.fetchone() if moment is not None]
    return min(moments, default=None)


def _aware(moment) -> datetime.datetime:
    """A timestamp as a plain cursor reads it: SQLite gives text in UTC."""
    if isinstance(moment, str):
        moment = datetime.datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)
