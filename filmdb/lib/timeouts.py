"""A time limit for visitors' searches: one pathological query cannot tie up a worker.

The same transaction sets how PostgreSQL plans the search's statements:

- each for its own words (`plan_cache_mode = force_custom_plan`): psycopg prepares a
  statement run five times, and PostgreSQL then may switch it to a generic plan, made
  without knowing the words; for a name that matched one person such a plan read all
  films newest first and looked for the name in each film's credits (23 s, not 12 ms);
- without parallel workers: starting them took 5 ms of an 8 ms query, which they were
  started for because the planner guessed 42,000 people for a name that 307 have;
- without JIT compilation, which took 34 ms of a search's time.
"""

import functools
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.db import OperationalError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from psycopg.errors import QueryCanceled

from filmdb.lib.replicas import read_connection


def timeout_page(request: HttpRequest, seconds: float) -> HttpResponse:
    """A German page asking for a narrower search."""
    return render(request, "search_timeout.html", {"seconds": seconds}, status=503)


def timeout_message(seconds: float) -> str:
    seconds_text = f"{seconds:g}".replace(".", ",")
    return f"Diese Suche dauert zu lange und wurde nach {seconds_text} Sekunden abgebrochen."


def timeout_json(request: HttpRequest, seconds: float) -> HttpResponse:
    """The same, for the name suggestions' JSON."""
    return JsonResponse({"error": timeout_message(seconds)}, status=503)


def search_time_limit(
    view: Callable[..., HttpResponse] | None = None,
    *,
    timed_out: Callable[[HttpRequest, float], HttpResponse] = timeout_page,
):
    """Run the view, its template's queries included, under PostgreSQL's
    statement_timeout (SEARCH_TIMEOUT_MS). A search it cancels answers 503 with
    `timed_out` (a German page, or `timeout_json`); the page cache keeps only 200s, so
    it is never kept. SQLite has no statement timeout: there the view runs as it is.

        @search_time_limit
        @search_time_limit(timed_out=timeout_json)
    """
    if view is None:
        return functools.partial(search_time_limit, timed_out=timed_out)

    @wraps(view)
    def limited_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if read_connection.vendor != "postgresql" or not settings.SEARCH_TIMEOUT_MS:
            return view(request, *args, **kwargs)
        try:
            # On the database the search reads from: the primary or a replica.
            with transaction.atomic(using=read_connection.alias):
                with read_connection.cursor() as cursor:
                    # set_config(…, true): for this transaction only, like SET LOCAL, and
                    # with a bound parameter, which SET does not take.
                    cursor.execute(
                        "SELECT set_config('statement_timeout', %s, true), "
                        "set_config('plan_cache_mode', 'force_custom_plan', true), "
                        "set_config('max_parallel_workers_per_gather', '0', true), "
                        "set_config('jit', 'off', true)",
                        [str(settings.SEARCH_TIMEOUT_MS)],
                    )
                return view(request, *args, **kwargs)
        except OperationalError as error:
            if not isinstance(error.__cause__, QueryCanceled):
                raise
            return timed_out(request, settings.SEARCH_TIMEOUT_MS / 1000)

    return limited_view
