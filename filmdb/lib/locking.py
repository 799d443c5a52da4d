"""Optimistic locking for the editors' admin: no save overwrites one its editor has not seen.

A locked model has a `version` column that every save raises, raw saves included (a
version restored from the history is a new version too). Its change form carries the
version it was opened at and a snapshot of what it showed, the inlines' rows included. A
save whose version is no longer current is refused, nothing of it is stored, and the
message names what the other editor changed.
"""

import copy
import functools
import json

from django import forms
from django.db import models
from django.db.models.signals import pre_save
from django.http import HttpRequest
from django.utils import formats


def _next_version(sender, instance, **kwargs) -> None:
    """Each save of a stored row is the row's next version, counted from the database."""
    if instance.pk is None:
        return
    current = sender._base_manager.filter(pk=instance.pk).values_list("version", flat=True).first()
    if current is not None:
        instance.version = current + 1


class Versioned(models.Model):
    # db_default: bulk SQL inserts (the IMDb import) start at version 1 too.
    version = models.PositiveIntegerField("Version", default=1, db_default=1, editable=False)

    class Meta:
        abstract = True

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        # A signal rather than save(): a restore from the history saves raw, which sends
        # pre_save but does not call save(). Connected for each versioned model as it is
        # defined, so none can be left out and no other model's saves pass through here.
        pre_save.connect(_next_version, sender=cls)


def _shown(value) -> str:
    if value is None or value == "":
        return "leer"
    if isinstance(value, bool):
        return "ja" if value else "nein"
    return str(formats.localize(value))


def snapshot(instance: models.Model, field_names: list[str], relations: list[str]) -> dict:
    """What the change form shows of `instance`: its fields and its inlines' rows."""
    shown = {}
    for name in field_names:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            value = ", ".join(sorted(str(item) for item in getattr(instance, name).all()))
        else:
            value = getattr(instance, name)
        shown[str(field.verbose_name)] = _shown(value)
    for name in relations:
        related = instance._meta.get_field(name).related_model
        # A row's text names what it points to (a credit its person): one query, not one each.
        pointed_to = [field.name for field in related._meta.concrete_fields if field.many_to_one]
        rows = getattr(instance, name).select_related(*pointed_to)
        shown[str(related._meta.verbose_name_plural)] = sorted(str(row) for row in rows)
    return shown


def describe_changes(before: dict, now: dict) -> list[str]:
    changes = []
    for label, value in now.items():
        old = before.get(label)
        if old == value:
            continue
        if isinstance(value, list):
            old = old or []
            added = [row for row in value if row not in old]
            removed = [row for row in old if row not in value]
            parts = [f"„{row}“ hinzugefügt" for row in added]
            parts += [f"„{row}“ entfernt" for row in removed]
            changes.append(f"{label}: {', '.join(parts)}")
        else:
            changes.append(f"{label}: „{old}“ → „{value}“")
    return changes


class LockedModelForm(forms.ModelForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    lock_snapshot = forms.CharField(widget=forms.HiddenInput, required=False)
    lock_relations: list[str] = []
    # Set for a restore from the history, which rewrites the row before the form is built:
    # the version the row had before, which the page was opened at.
    version_before_restore: int | None = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.initial["lock_version"] = self._opened_version(self.instance)
            self.initial["lock_snapshot"] = json.dumps(self._snapshot(self.instance))

    def _snapshot(self, instance: models.Model) -> dict:
        names = [
            name
            for name in self._meta.fields or []
            if name in self.fields and name not in self.declared_fields
        ]
        return snapshot(instance, names, self.lock_relations)

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        # Locked until this save commits: a second save waits, then sees the new version.
        # FOR NO KEY UPDATE, as the save's own UPDATE, which changes no key: it does not
        # wait for a transaction that adds rows pointing at this one (an IMDb import
        # adding credits holds their foreign-key checks' KEY SHARE locks until it ends).
        current = (
            type(self.instance)
            ._base_manager.select_for_update(no_key=True)
            .filter(pk=self.instance.pk)
            .first()
        )
        if current is not None and self._opened_version(current) != cleaned.get("lock_version"):
            raise forms.ValidationError(self._conflict_message(current), code="stale")
        return cleaned

    def _opened_version(self, instance: models.Model) -> int:
        if self.version_before_restore is not None:
            return self.version_before_restore
        return instance.version

    def _conflict_message(self, current: models.Model) -> str:
        try:
            before = json.loads(self.data.get(self.add_prefix("lock_snapshot")) or "{}")
        except ValueError:
            before = {}
        changes = describe_changes(before, self._snapshot(current)) if before else []
        message = (
            f"„{current}“ wurde von jemand anderem gespeichert, nachdem du die Seite geöffnet "
            "hast. Deine Änderungen wurden nicht gespeichert, damit nichts verloren geht."
        )
        if changes:
            message += " Inzwischen geändert: " + "; ".join(changes) + "."
        return message + " Öffne die Seite neu und trag deine Änderungen noch einmal ein."


class LockedAdminMixin:
    """Before admin.ModelAdmin in the bases of a Versioned model's admin.

    `lock_relations`: the reverse relations edited inline, part of the snapshot.
    `lock_touches`: for an inline relation, the foreign key of its rows whose versioned
    model a saved row changes too (`{"credits": "person"}`: a credit saved on a film's page
    is a new version of its person).
    """

    form = LockedModelForm
    lock_relations: list[str] = []
    lock_touches: dict[str, str] = {}

    def get_form(
        self,
        request: HttpRequest,
        obj=None,
        change: bool = False,
        *,
        version_before_restore: int | None = None,
        **kwargs,
    ):
        form = super().get_form(request, obj, change, **kwargs)
        form.lock_relations = self.lock_relations
        form.version_before_restore = version_before_restore
        return form

    def revision_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context=None
    ):
        """Restoring an earlier version is a save like any other: locked against the version
        current when the page was opened, read here before the restore rewrites the row.

        django-reversion restores and then runs Django's change form view, which calls
        get_form itself; the version reaches get_form through a copy of this admin made
        for this one request.
        """
        version_before_restore = (
            self.model._base_manager.filter(pk=object_id).values_list("version", flat=True).first()
        )
        restoring = copy.copy(self)
        restoring.get_form = functools.partial(
            self.get_form, version_before_restore=version_before_restore
        )
        return super(LockedAdminMixin, restoring).revision_view(
            request, object_id, version_id, extra_context
        )

    def get_fieldsets(self, request: HttpRequest, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        (title, options), *rest = fieldsets
        fields = [*options["fields"], ("lock_version", "lock_snapshot")]
        return [(title, {**options, "fields": fields}), *rest]

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        """Raise the version of what `lock_touches` names for each inline row saved, added
        or deleted, so a form opened on that object before is refused."""
        super().save_related(request, form, formsets, change)
        for formset in formsets:
            pointer = self.lock_touches.get(formset.fk.remote_field.get_accessor_name())
            if pointer is None:
                continue
            field = formset.model._meta.get_field(pointer)
            changed = [row for row, _ in formset.changed_objects]
            rows = [*formset.new_objects, *changed, *formset.deleted_objects]
            pks = {getattr(row, field.attname) for row in rows}
            if pks:
                field.related_model._base_manager.filter(pk__in=pks).update(
                    version=models.F("version") + 1
                )
