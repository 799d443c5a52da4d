"""The Atom feeds: the coming Kinostarts (/feeds/kinostarts/) and the latest published
reviews (/feeds/kritiken/)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.formats import date_format

from filmdb.lib.feeds import VisibleTextAtom1Feed
from filmdb.pages.kinostarts import COMING_WEEKS, current_week, films_starting
from films.models import Film
from reviews.models import Review


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


FEED_REVIEWS = 20


class LatestReviewsFeed(Feed):
    feed_type = VisibleTextAtom1Feed
    title = "filmdb: neue Kritiken"
    subtitle = "Die neuesten Filmkritiken der filmdb-Redaktion."

    def link(self) -> str:
        return reverse("reviews:list")

    def items(self):
        return Review.objects.for_list()[:FEED_REVIEWS]

    def item_title(self, review: Review) -> str:
        return f"{review.film.title}: {review.headline}" if review.headline else review.film.title

    def item_description(self, review: Review) -> str:
        return review.verdict

    def item_author_name(self, review: Review) -> str:
        return review.author_name()

    def item_pubdate(self, review: Review):
        return review.first_published_at

    def item_updateddate(self, review: Review):
        return review.updated_at
