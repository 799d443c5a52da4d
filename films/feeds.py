"""The coming Kinostarts as an Atom feed (/feeds/kinostarts/)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.formats import date_format

from filmdb.lib.feeds import VisibleTextAtom1Feed
from films.kinostarts import COMING_WEEKS, current_week, films_starting
from films.models import Film


class KinostartsFeed(Feed):
    feed_type = VisibleTextAtom1Feed
    title = "filmdb: Kinostarts"
    subtitle = "Die Filme, die in dieser und den nächsten Wochen in den deutschen Kinos starten."

    def link(self) -> str:
        return reverse("kinostarts:current")

    def items(self):
        return films_starting(current_week(), 1 + COMING_WEEKS).only(
            "title", "slug", "synopsis", "release_date", "created_at", "updated_at"
        )

    def item_title(self, film: Film) -> str:
        return f"{film.title} (Kinostart {date_format(film.release_date, 'j. F Y')})"

    def item_description(self, film: Film) -> str:
        return film.synopsis

    def item_pubdate(self, film: Film):
        return film.created_at

    def item_updateddate(self, film: Film):
        return film.updated_at
