from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from filmdb.lib.admin import (
    SluggedContentAdmin,
    publication_state,
    publish_selected,
    withdraw_selected,
)
from filmdb.lib.history import PermittedVersionAdmin
from filmdb.lib.image_admin import ImageCreditAdminMixin
from films.models import (
    FIRST_FILM_YEAR,
    AlternativeTitle,
    FilmRedirect,
    Genre,
    Offer,
)
from films.models.genres import genre_counts_deferred

# About the poster's width on the film page (12 to 14 rem): a narrower file is shown
# stretched and blurred.
MIN_POSTER_WIDTH = 200


class DecadeListFilter(admin.SimpleListFilter):
    title = "Jahrzehnt"
    parameter_name = "jahrzehnt"

    def lookups(self, request, model_admin):
        last = timezone.now().year // 10 * 10
        first = FIRST_FILM_YEAR // 10 * 10
        return [(str(decade), f"{decade}er") for decade in range(last, first - 1, -10)]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        try:
            decade = int(self.value())
        except ValueError:
            return queryset.none()
        return queryset.filter(year__gte=decade, year__lte=decade + 9)


class YearListFilter(admin.SimpleListFilter):
    """The years of the chosen decade: pick a decade first, then its year."""

    title = "Jahr"
    parameter_name = "jahr"

    def lookups(self, request, model_admin):
        decade = request.GET.get(DecadeListFilter.parameter_name, "")
        if not decade.isdigit():
            return []
        start = int(decade)
        return [(str(year), str(year)) for year in range(start + 9, start - 1, -1)]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        if not self.value().isdigit():
            return queryset.none()
        return queryset.filter(year=int(self.value()))


class AlternativeTitleInline(admin.TabularInline):
    model = AlternativeTitle
    fields = ["title", "region", "kind"]
    extra = 0


class OfferClicksMixin:
    """Each offer's clicks of the last 7 and 30 days (today included), counted in the
    query that lists the offers."""

    def get_queryset(self, request):
        # Annotated before ordering, which may name the annotations.
        offers = self.model._default_manager.with_recent_clicks(timezone.localdate())
        return offers.order_by(*self.get_ordering(request) or self.model._meta.ordering)

    @admin.display(description="Klicks (7 Tage)", ordering="clicks_7")
    def clicks_7(self, offer: Offer) -> int:
        return getattr(offer, "clicks_7", 0)

    @admin.display(description="Klicks (30 Tage)", ordering="clicks_30")
    def clicks_30(self, offer: Offer) -> int:
        return getattr(offer, "clicks_30", 0)


class OfferInline(OfferClicksMixin, admin.TabularInline):
    model = Offer
    fields = ["provider", "kind", "url", "price", "position", "clicks_7", "clicks_30"]
    readonly_fields = ["clicks_7", "clicks_30"]
    # A link typed without a scheme becomes https:// (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    extra = 0


@admin.register(Offer)
class OfferAdmin(OfferClicksMixin, admin.ModelAdmin):
    """The most-clicked offers: a list to read; offers are edited on their film."""

    list_display = ["__str__", "film_link", "clicks_7", "clicks_30"]
    list_display_links = None
    list_select_related = ["film"]
    # Deleted with their film (whose deletion checks the permission), not from here.
    actions = None
    search_fields = ["provider", "film__title"]

    def get_ordering(self, request) -> list[str]:
        # The annotations' names: the system check of `ordering` knows only fields.
        return ["-clicks_30", "-clicks_7", "pk"]

    @admin.display(description="Film")
    def film_link(self, offer: Offer) -> str:
        url = reverse("admin:films_film_change", args=[offer.film_id])
        return format_html('<a href="{}">{}</a>', url, offer.film)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class FilmAdmin(ImageCreditAdminMixin, SluggedContentAdmin):
    """The film admin, registered by the site (filmdb/admin.py) with the cast and crew
    inline of people, which builds on films."""

    imdb_prefix = "tt"
    redirect_model = FilmRedirect
    image_field = "poster"
    image_min_width = MIN_POSTER_WIDTH
    name_field = "title"
    list_display = ["image_thumbnail", "title", "year", "fsk", publication_state, "updated_at"]
    list_display_links = ["title"]
    list_filter = ["status", "fsk", DecadeListFilter, YearListFilter, "genres"]
    actions = [publish_selected, withdraw_selected]
    bulk_saving = staticmethod(genre_counts_deferred)
    # Searched through the folded `search_text` (SluggedContentAdmin.get_search_results);
    # autocomplete fields pointing at films need search_fields to be set.
    search_fields = ["search_text"]
    search_help_text = (
        "Titel oder Originaltitel (auch ohne Akzente), oder eine IMDb-ID wie tt2053425"
    )
    prepopulated_fields = {"slug": ["title", "year"]}
    autocomplete_fields = ["genres"]
    readonly_fields = ["image_preview", publication_state, "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "original_title", "slug"]}),
        ("Veröffentlichung", {"fields": ["status", "published_at", publication_state]}),
        (
            "Daten",
            {
                "fields": [
                    ("year", "release_date"),
                    ("runtime", "fsk"),
                    "countries",
                    "distributor",
                    "genres",
                    "imdb_id",
                ]
            },
        ),
        ("Texte", {"fields": ["synopsis", "plot", "background"]}),
        ("Plakat", {"fields": ["poster", "image_preview", "poster_credit", "poster_credit_note"]}),
        ("Verwaltung", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    inlines = [OfferInline, AlternativeTitleInline]
    lock_relations = ["offers", "alternative_titles"]
    # Newest first, by primary key: at a million films any other default order sorts the
    # whole table for every page of the list.
    ordering = ["-pk"]


@admin.register(Genre)
class GenreAdmin(PermittedVersionAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
