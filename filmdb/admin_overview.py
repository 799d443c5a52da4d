"""The editors' overview on the admin's start page: what appears on the site in the next
two weeks, and the coming Kinostarts whose pages still lack something.

Three queries, each read through an index and cut after SHOWN + 1 rows, however many
films and reviews there are.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from filmdb.lib.publication import PublicationStatus
from filmdb.pages.kinostarts import COMING_WEEKS, WEEK, current_week
from films.models import Film
from reviews.models import Review

SCHEDULED_DAYS = 14
# The weeks the Kinostarts page shows: the current cinema week and the coming ones.
KINOSTART_WEEKS = 1 + COMING_WEEKS
# Rows a list shows at most, the earliest; a note says when there are more.
SHOWN = 20


@dataclass(frozen=True, slots=True)
class ScheduledItem:
    kind: str  # "Film" or "Kritik"
    name: str
    url: str  # its change form
    moment: datetime.datetime


@dataclass(frozen=True, slots=True)
class KinostartItem:
    name: str
    url: str  # its change form
    release_date: datetime.date
    lacks: list[str]

    def lacks_text(self) -> str:
        return ", ".join(f"ohne {what}" for what in self.lacks)


@dataclass(slots=True)
class Overview:
    scheduled: list[ScheduledItem] = field(default_factory=list)
    more_scheduled: bool = False
    # None for users who may not change films: the Kinostarts are the Redaktion's.
    kinostarts: list[KinostartItem] | None = None
    more_kinostarts: bool = False
    # The cinema weeks' first and last day: this week's Thursday, the last one's Wednesday.
    kinostarts_from: datetime.date | None = None
    kinostarts_until: datetime.date | None = None


def editors_overview(user: AbstractBaseUser | AnonymousUser) -> Overview | None:
    """The overview for `user`: the scheduled films and reviews and the Kinostarts for the
    Redaktion, a critic's own scheduled reviews, None for those who may change neither."""
    may_change_films = user.has_perm("films.change_film")
    may_change_reviews = user.has_perm("reviews.change_review")
    if not (may_change_films or may_change_reviews):
        return None
    now = timezone.now()
    until = now + datetime.timedelta(days=SCHEDULED_DAYS)
    overview = Overview()
    scheduled = []
    if may_change_films:
        scheduled += scheduled_films(now, until)
        first_week = current_week()
        overview.kinostarts, overview.more_kinostarts = _shown(kinostarts_lacking(first_week))
        overview.kinostarts_from = first_week
        overview.kinostarts_until = first_week + KINOSTART_WEEKS * WEEK - datetime.timedelta(1)
    if may_change_reviews:
        scheduled += scheduled_reviews(user, now, until)
    # Each list holds up to SHOWN + 1 rows, so the first SHOWN of both are among them.
    scheduled.sort(key=lambda item: item.moment)
    overview.scheduled, overview.more_scheduled = _shown(scheduled)
    return overview


def _shown(items: list) -> tuple[list, bool]:
    return items[:SHOWN], len(items) > SHOWN


def _due(queryset: QuerySet, now: datetime.datetime, until: datetime.datetime) -> QuerySet:
    """Published for a moment after `now`, up to `until`, the first SHOWN + 1 of them.

    Served by films_film_published_at_idx and reviews_review_newest_idx."""
    return queryset.filter(
        status=PublicationStatus.PUBLISHED, published_at__gt=now, published_at__lte=until
    ).order_by("published_at", "pk")[: SHOWN + 1]


def scheduled_films(now: datetime.datetime, until: datetime.datetime) -> list[ScheduledItem]:
    films = _due(Film.objects.only("title", "year", "published_at"), now, until)
    return [ScheduledItem("Film", str(film), _film_url(film), film.published_at) for film in films]


def scheduled_reviews(
    user: AbstractBaseUser | AnonymousUser, now: datetime.datetime, until: datetime.datetime
) -> list[ScheduledItem]:
    """The scheduled reviews `user` may open: every one for editors, a critic's own."""
    reviews = _due(
        Review.objects.editable_by(user)
        .select_related("film")
        .only("headline", "published_at", "film__title"),
        now,
        until,
    )
    return [
        ScheduledItem(
            "Kritik",
            # A headline alone does not say which film it is about.
            f"{review.headline} ({review.film.title})" if review.headline else str(review),
            reverse("admin:reviews_review_change", args=[review.pk]),
            review.published_at,
        )
        for review in reviews
    ]


def kinostarts_lacking(first_week: datetime.date) -> list[KinostartItem]:
    """The published films starting in the KINOSTART_WEEKS cinema weeks from the Thursday
    `first_week` without a published review, a poster or a synopsis, by date and title:
    the first SHOWN + 1, read from films_film_release_idx in its order."""
    reviewed = Review.objects.filter(film=OuterRef("pk"), status=PublicationStatus.PUBLISHED)
    films = (
        Film.objects.filter(
            status=PublicationStatus.PUBLISHED,
            release_date__gte=first_week,
            release_date__lt=first_week + KINOSTART_WEEKS * WEEK,
        )
        .annotate(
            reviewed=Exists(reviewed),
            no_poster=ExpressionWrapper(Q(poster=""), output_field=BooleanField()),
            no_synopsis=ExpressionWrapper(Q(synopsis=""), output_field=BooleanField()),
        )
        .filter(Q(reviewed=False) | Q(no_poster=True) | Q(no_synopsis=True))
        .order_by("release_date", "title", "pk")
        .only("title", "year", "release_date")[: SHOWN + 1]
    )
    return [
        KinostartItem(str(film), _film_url(film), film.release_date, _lacks(film)) for film in films
    ]


def _lacks(film: Film) -> list[str]:
    lacks = {"Kritik": not film.reviewed, "Plakat": film.no_poster, "Kurzinhalt": film.no_synopsis}
    return [what for what, lacking in lacks.items() if lacking]


def _film_url(film: Film) -> str:
    return reverse("admin:films_film_change", args=[film.pk])
