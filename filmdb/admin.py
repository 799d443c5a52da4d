from django.contrib import admin

from filmdb.lib.history import PermittedVersionAdmin
from filmdb.lib.locking import LockedAdminMixin
from filmdb.models import InfoPage
from films.admin import FilmAdmin
from films.models import Film
from people.admin import FilmCreditInline


@admin.register(Film)
class FilmWithCreditsAdmin(FilmAdmin):
    """The film admin with cast and crew. Credits are people's, and people build on
    films: the two meet here, above both, and the film admin is registered once."""

    inlines = [*FilmAdmin.inlines, FilmCreditInline]
    lock_relations = [*FilmAdmin.lock_relations, "credits"]
    lock_touches = {**FilmAdmin.lock_touches, "credits": "person"}


@admin.register(InfoPage)
class InfoPageAdmin(LockedAdminMixin, PermittedVersionAdmin):
    """The Impressum and the privacy notice; locked and with history like all content."""

    list_display = ["__str__", "title", "updated_at"]
    fields = ["kind", "title", "body"]
    view_on_site = True

    def get_readonly_fields(self, request, obj=None):
        # Which page it is stays as created: its address and the footer's link hang on it.
        return ["kind"] if obj else []
