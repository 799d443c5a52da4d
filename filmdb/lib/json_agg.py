"""The rows of a correlated subquery as one JSON array, on PostgreSQL and SQLite.

Subquery(Offer.objects.filter(film=OuterRef("pk")).order_by()
         .values(rows=JSONGroupArray(JSONObject(id="id", url="url"))))
"""

from django.db.models import Func, JSONField


class JSONGroupArray(Func):
    """A JSON array of `expression` over every row of the query; [] over none.

    A Func, not an Aggregate: it is meant as the only column of a correlated subquery,
    whose rows are all one group, and as an Aggregate the ORM would add a GROUP BY. The
    subquery must have no ORDER BY (`.order_by()`), and the array is in no particular
    order: SQLite orders inside an aggregate only from 3.44, so callers order in Python.
    """

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        # jsonb, which Django reads as text for JSONField to decode (psycopg would decode
        # json itself first); and '[]' where the aggregate over no rows is NULL.
        return self.as_sql(
            compiler,
            connection,
            template="COALESCE(JSONB_AGG(%(expressions)s), '[]')",
            **extra_context,
        )
