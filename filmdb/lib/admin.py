"""Admin pieces every app's admin shares."""

from django.contrib.admin.widgets import AutocompleteSelect
from django.db import models
from django.db.models import QuerySet
from django.utils.html import format_html

from filmdb.lib.images import rendition_url


def image_preview(field_file, width: int | None, display_width: int, alt: str) -> str:
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
    if term.startswith(imdb_prefix) and term[2:].isdigit():
        return queryset.filter(imdb_id=term)
    return queryset.matching(term)


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
