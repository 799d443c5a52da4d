from django.contrib.sitemaps import Sitemap
from django.db.models import Max


class UpdatedAtSitemap(Sitemap):
    """A sitemap of rows with `updated_at`, at 10,000 URLs per page."""

    limit = 10_000

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # One aggregate instead of Django's default of reading every item.
        return self.items().order_by().aggregate(latest=Max("updated_at"))["latest"]
