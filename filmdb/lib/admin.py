"""Admin pieces every app's admin shares."""

import contextlib

import reversion
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.db import models, transaction
from django.db.models import QuerySet
from django.db.models.fields import BLANK_CHOICE_DASH
from django.http import HttpRequest
from django.utils.html import format_html

from filmdb.lib.history import PermittedVersionAdmin
from filmdb.lib.images import rendition_url
from filmdb.lib.locking import LockedAdminMixin
from filmdb.lib.pagination import EstimatedCountPaginator
from filmdb.lib.publication import PublicationStatus
from filmdb.lib.slugs import SlugRedirect


def rendition_img(field_file, width: int | None, display_width: int, alt: str) -> str:
    """A rendition of a stored image for the admin: a list thumbnail or a form preview."""
    url = rendition_url(field_file, width, display_width)
    if not url:
        return "–"
    return format_html('<img src="{}" width="{}" alt="{}" loading="lazy">', url, display_width, alt)


def search_folded(queryset: QuerySet, search_term: str, imdb_prefix: str) -> QuerySet:
    """Admin search: an exact IMDb id, or every word in the folded search text."""
    term = search_term.strip()
    if not term:
        return queryset
    if term.startswith(imdb_prefix) and term[len(imdb_prefix) :].isdigit():
        return queryset.filter(imdb_id=term)
    return queryset.matching(term)


class SluggedContentAdmin(LockedAdminMixin, PermittedVersionAdmin):
    """The admin of a page addressed by its slug and known to IMDb: films and people.

    Searched through the folded search text or by an exact IMDb id; an image shown as a
    list thumbnail and a form preview; a changed slug remembered so the old address
    redirects; lists that never count a whole large table.
    """

    imdb_prefix: str  # "tt": a search term like tt2053425 looks up the IMDb id
    redirect_model: type[SlugRedirect]
    image_field: str  # an image field with a width field, e.g. "poster"
    name_field: str  # what names an object in the preview's alt text, e.g. "title"

    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_per_page = 50
    save_on_top = True

    def __init__(self, model: type[models.Model], admin_site) -> None:
        super().__init__(model, admin_site)
        image_label = model._meta.get_field(self.image_field).verbose_name

        # The list's thumbnail column is headed like the image field ("Plakat", "Foto"),
        # which a method shared by every subclass cannot be.
        @admin.display(description=image_label)
        def image_thumbnail(obj: models.Model) -> str:
            return self._image(obj, 40, "")

        self.image_thumbnail = image_thumbnail

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        return search_folded(queryset, search_term, self.imdb_prefix), False

    def save_model(self, request: HttpRequest, obj: models.Model, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "slug" in form.changed_data:
            self.redirect_model.remember(owner=obj, old_slug=form.initial["slug"])

    @admin.display(description="Vorschau")
    def image_preview(self, obj: models.Model) -> str:
        label = obj._meta.get_field(self.image_field).verbose_name
        return self._image(obj, 240, f"{label} von {getattr(obj, self.name_field)}")

    def _image(self, obj: models.Model, display_width: int, alt: str) -> str:
        field = obj._meta.get_field(self.image_field)
        width = getattr(obj, field.width_field)
        return rendition_img(getattr(obj, self.image_field), width, display_width, alt)


class RequiredAutocompleteSelect(AutocompleteSelect):
    """An autocomplete for a required choice, starting with an empty option.

    HTML requires a required select to start with one, and Django's has none. select2
    shows it as its (empty) placeholder, and it fails the required check.
    """

    def optgroups(self, name, value, attr=None):
        groups = super().optgroups(name, value, attr)
        if self.is_required and not self.allow_multiple_selected:
            [(blank, dashes)] = BLANK_CHOICE_DASH
            groups[0][1].insert(0, self.create_option(name, blank, dashes, False, 0))
        return groups


class LoadedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete showing the object its form already holds, without a query.

    Django's widget looks its selected object up again: one query for every row of an
    inline, some 300 on the page of a film with 300 credits. A form that holds the object
    (an inline row loaded with select_related) sets it as `loaded`.
    """

    loaded: models.Model | None = None

    def optgroups(self, name, value, attr=None):
        selected = [str(item) for item in value if item not in ("", None)]
        if self.loaded is None or selected != [str(self.loaded.pk)]:
            return super().optgroups(name, value, attr)
        options = [self.create_option(name, "", "", False, 0)] if not self.is_required else []
        label = self.choices.field.label_from_instance(self.loaded)
        options.append(self.create_option(name, self.loaded.pk, label, True, len(options)))
        return [(None, options, 0)]


class LoadedAutocompleteInlineMixin:
    """For an inline whose autocomplete fields' objects come with its rows."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = LoadedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def show_loaded(form, field_name: str) -> None:
    """Let the row's autocomplete show the object the row already holds."""
    if form.instance.pk is not None:
        widget = form.fields[field_name].widget
        getattr(widget, "widget", widget).loaded = getattr(form.instance, field_name)


# A bulk publication change saves each row (its version, history and signals); more rows
# than this at once are refused rather than left to time out half done.
BULK_STATUS_LIMIT = 1000


def status_action(status: str, done: str, description: str):
    """An admin action setting the selected rows' `status`, row by row as a save would:
    each row gets its next version and an entry in its history, under the same row locks
    as a save; rows already in that status, or that the user may not change, are left."""

    def action(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
        model = queryset.model
        opts = model._meta
        selected = model._base_manager.filter(pk__in=queryset.values("pk"))
        total = selected.count()
        if total > BULK_STATUS_LIMIT:
            limit = f"{BULK_STATUS_LIMIT:,}".replace(",", ".")
            modeladmin.message_user(
                request,
                f"Wählen Sie höchstens {limit} {opts.verbose_name_plural} auf einmal.",
                messages.ERROR,
            )
            return
        changed = 0
        # `bulk_saving`: what the model's admin wraps many saves in (FilmAdmin: its genres
        # counted once at the end rather than after each film).
        bulk_saving = getattr(modeladmin, "bulk_saving", contextlib.nullcontext)
        with transaction.atomic(), reversion.create_revision(), bulk_saving():
            reversion.set_user(request.user)
            for obj in selected.select_for_update().order_by("pk"):
                if obj.status == status or not modeladmin.has_change_permission(request, obj):
                    continue
                obj.status = status
                obj.save()
                # Also the history's comment (VersionAdmin.log_change sets it).
                modeladmin.log_change(
                    request, obj, f"Status: {obj.get_status_display()} (Sammelaktion)"
                )
                changed += 1
        noun = opts.verbose_name if changed == 1 else opts.verbose_name_plural
        text = f"{changed} {noun} {done}."
        if unchanged := total - changed:
            text += f" {unchanged} {'blieb' if unchanged == 1 else 'blieben'} unverändert."
        modeladmin.message_user(request, text, messages.SUCCESS if changed else messages.WARNING)

    action.__name__ = f"set_status_{status}"
    return admin.action(description=description, permissions=["change"])(action)


@admin.display(description="Veröffentlichung", ordering="published_at")
def publication_state(obj) -> str:
    """Entwurf, Veröffentlicht, or "geplant" with its moment: for lists and change forms."""
    return obj.publication_state()


publish_selected = status_action(
    PublicationStatus.PUBLISHED,
    "veröffentlicht",
    "Ausgewählte %(verbose_name_plural)s veröffentlichen",
)
withdraw_selected = status_action(
    PublicationStatus.DRAFT, "zurückgezogen", "Ausgewählte %(verbose_name_plural)s zurückziehen"
)
