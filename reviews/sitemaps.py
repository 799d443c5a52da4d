from filmdb.lib.sitemaps import UpdatedAtSitemap
from reviews.models import Review


class ReviewSitemap(UpdatedAtSitemap):
    """Each published review, at its place on its film's page."""

    changefreq = "monthly"

    def items(self):
        return Review.objects.for_list().order_by("pk").only("pk", "updated_at", "film__slug")
