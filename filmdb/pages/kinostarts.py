"""Kinostarts: German films start on Thursdays, so the cinema week runs from Thursday to
Wednesday, in Berlin time (the site's time zone)."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from filmdb.pages.cards import film_cards
from films.models import FIRST_FILM_YEAR, LAST_FILM_YEAR, Film

THURSDAY = 3  # date.weekday()
WEEK = datetime.timedelta(days=7)
# "Demnächst im Kino": this many weeks after the current one.
COMING_WEEKS = 4


def week_start(day: datetime.date) -> datetime.date:
    """The Thursday that starts the cinema week of `day`."""
    return day - datetime.timedelta(days=(day.weekday() - THURSDAY) % 7)


# The first and the last cinema week with a page: those starting in the years films can
# have. 1 January 1870 is in the week of Thursday 30 December 1869, which has none.
FIRST_WEEK = week_start(datetime.date(FIRST_FILM_YEAR, 1, 7))
LAST_WEEK = week_start(datetime.date(LAST_FILM_YEAR, 12, 31))


def current_week() -> datetime.date:
    """The Thursday that starts this cinema week, in Berlin time."""
    return week_start(timezone.localdate())


def next_week_begins() -> datetime.datetime:
    """The moment the next cinema week begins: its Thursday's midnight in Berlin time."""
    thursday = current_week() + WEEK
    return timezone.make_aware(datetime.datetime.combine(thursday, datetime.time.min))


def films_starting(start: datetime.date, weeks: int):
    """The published films starting in the `weeks` cinema weeks from the Thursday
    `start`, by date, then title (served by films_film_release_idx)."""
    return (
        Film.objects.published()
        .filter(release_date__gte=start, release_date__lt=start + weeks * WEEK)
        .order_by("release_date", "title", "pk")
    )


def parse_week_day(text: str) -> datetime.date | None:
    """The day of a URL's `YYYY-MM-DD`; None for anything else, an impossible date, or
    a day whose cinema week has no page (before FIRST_WEEK or after LAST_WEEK): such a
    day is not found, never redirected to its Thursday's missing page."""
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        return None
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        return None
    # The year first: the week of 1 January of the year 1 would start before any date.
    if not FIRST_FILM_YEAR <= day.year <= LAST_FILM_YEAR or week_start(day) < FIRST_WEEK:
        return None
    return day


@dataclass(slots=True)
class CinemaWeek:
    start: datetime.date
    films: list[Film]

    @property
    def end(self) -> datetime.date:
        return self.start + WEEK - datetime.timedelta(days=1)


def cinema_weeks(start: datetime.date, count: int) -> list[CinemaWeek]:
    """The `count` cinema weeks from the Thursday `start`, each with the published films
    starting in it (by date, then title) as film cards with their Kinostart, FSK,
    runtime and genres' names (`card_genres`): three queries, however many films."""
    films = film_cards(films_starting(start, count).values_list("pk", flat=True), facts=True)
    weeks = [CinemaWeek(start + n * WEEK, []) for n in range(count)]
    for film in films:
        weeks[(film.release_date - start).days // 7].films.append(film)
    return weeks
