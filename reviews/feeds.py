"""The latest published reviews as an Atom feed (/feeds/kritiken/)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse

from filmdb.lib.feeds import VisibleTextAtom1Feed
from reviews.models import Review

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
