"""The sitemaps of every public page (/sitemap.xml)."""

import datetime

from django.contrib.sitemaps import Sitemap

from filmdb.lib.sitemaps import UpdatedAtSitemap
from filmdb.lib.urls import remembered_reverse
from filmdb.pages.kinostarts import week_start
from films.models import Film, Genre
from people.models import Person
from reviews.models import Review


class FilmSitemap(UpdatedAtSitemap):
    changefreq = "weekly"

    def items(self):
        return Film.objects.published().order_by("pk").only("slug", "updated_at")


class KinostartsSitemap(Sitemap):
    """The cinema weeks in which published films start."""

    changefreq = "weekly"
    limit = 10_000

    def items(self) -> list[datetime.date]:
        days = (
            Film.objects.published()
            .filter(release_date__isnull=False)
            .order_by("release_date")
            .values_list("release_date", flat=True)
            .distinct()
        )
        return sorted({week_start(day) for day in days})

    def location(self, item: datetime.date) -> str:
        # Built around the day, as a slug: reverse() took 40 % of the 5,500 weeks' sitemap.
        return remembered_reverse("kinostarts:week", day=item.isoformat())


class GenreSitemap(Sitemap):
    """The genres that have published films."""

    changefreq = "weekly"

    def items(self):
        Genre.objects.refresh_due()
        return Genre.objects.filter(film_count__gt=0).order_by("slug")


class YearSitemap(Sitemap):
    """The years of published films."""

    changefreq = "weekly"

    def items(self) -> list[int]:
        return sorted(Film.objects.visible_years())

    def location(self, item: int) -> str:
        return remembered_reverse("browse:year", year=item)


class PersonSitemap(UpdatedAtSitemap):
    changefreq = "monthly"

    def items(self):
        return Person.objects.published().order_by("pk").only("slug", "updated_at")


class ReviewSitemap(UpdatedAtSitemap):
    """Each published review, at its place on its film's page."""

    changefreq = "monthly"

    def items(self):
        return Review.objects.for_list().order_by("pk").only("pk", "updated_at", "film__slug")


SITEMAPS = {
    "filme": FilmSitemap,
    "personen": PersonSitemap,
    "kritiken": ReviewSitemap,
    "kinostarts": KinostartsSitemap,
    "genres": GenreSitemap,
    "jahre": YearSitemap,
}
