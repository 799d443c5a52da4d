from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import HttpRequest

from filmdb.lib.admin import (
    RequiredAutocompleteSelect,
    publication_state,
    publish_selected,
    withdraw_selected,
)
from filmdb.lib.history import PermittedVersionAdmin
from filmdb.lib.locking import LockedAdminMixin
from filmdb.lib.pagination import EstimatedCountPaginator
from reviews.models import Review


def can_edit_all_reviews(request: HttpRequest) -> bool:
    return request.user.has_perm("reviews.change_any_review")


@admin.register(Review)
class ReviewAdmin(LockedAdminMixin, PermittedVersionAdmin):
    """Editors see and edit every review; critics only their own, always as their author."""

    list_display = ["__str__", "film", "byline", publication_state, "rating", "published_at"]
    list_filter = ["status", "rating"]
    actions = [publish_selected, withdraw_selected]
    readonly_fields = [publication_state, "first_published_at"]
    list_select_related = ["film"]
    search_fields = ["headline", "byline", "film__title"]
    autocomplete_fields = ["film"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["film", "author", "byline", "headline"]}),
        ("Kritik", {"fields": ["body", "verdict", "rating"]}),
        (
            "Veröffentlichung",
            {"fields": ["status", "published_at", publication_state, "first_published_at"]},
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).editable_by(request.user)

    def get_fieldsets(self, request: HttpRequest, obj: Review | None = None):
        fieldsets = super().get_fieldsets(request, obj)
        if can_edit_all_reviews(request):
            return fieldsets
        # Critics write as themselves: no author field to set someone else.
        (title, options), *rest = fieldsets
        own_fields = [field for field in options["fields"] if field != "author"]
        return [(title, {**options, "fields": own_fields}), *rest]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "author":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True).order_by("username")
        if db_field.name == "film":
            kwargs["widget"] = RequiredAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _is_own_or_all(self, request: HttpRequest, review: Review | None) -> bool:
        return (
            review is None or can_edit_all_reviews(request) or review.author_id == request.user.pk
        )

    def has_view_permission(self, request: HttpRequest, obj: Review | None = None) -> bool:
        return super().has_view_permission(request, obj) and self._is_own_or_all(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Review | None = None) -> bool:
        return super().has_change_permission(request, obj) and self._is_own_or_all(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Review | None = None) -> bool:
        return super().has_delete_permission(request, obj) and self._is_own_or_all(request, obj)

    def save_model(self, request: HttpRequest, obj: Review, form, change: bool) -> None:
        if not change and obj.author_id is None:
            obj.author = request.user
        if not obj.byline:
            obj.byline = obj.author.get_full_name() or obj.author.get_username()
        super().save_model(request, obj, form, change)
