from filmdb.lib.sitemaps import UpdatedAtSitemap
from films.models import Film


class FilmSitemap(UpdatedAtSitemap):
    changefreq = "weekly"

    def items(self):
        return Film.objects.published().order_by("pk").only("slug", "updated_at")
