from filmdb.lib.sitemaps import UpdatedAtSitemap
from people.models import Person


class PersonSitemap(UpdatedAtSitemap):
    changefreq = "monthly"

    def items(self):
        return Person.objects.published().order_by("pk").only("slug", "updated_at")
