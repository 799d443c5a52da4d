"""Optimistic locking for the editors' admin: no save overwrites one its editor has not seen.

A locked model has a `version` column that every save raises, raw saves included (a
version restored from the history is a new version too). Its change form carries the
version it was opened at and a snapshot of what it showed, the inlines' rows included. A
save whose version is no longer current is merged with what is stored now
(filmdb.lib.merging): what only one of the two saves changed lands, and fields or rows
that both changed differently are shown side by side for the editor to choose. Nothing of
a save is stored before every conflict is settled.
"""

import copy
import functools

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.db import models
from django.db.models.signals import pre_save
from django.http import HttpRequest

from filmdb.lib.forms import TEXT_FIELD_OVERRIDES
from filmdb.lib.merging import (
    CHOICE_FIELD,
    CONFLICT,
    MINE,
    REFUSED,
    RESOLVING_FIELD,
    SNAPSHOT_FIELD,
    STORED,
    VERSION_FIELD,
    Conflict,
    LockedInlineFormSet,
    MergeReport,
    choice_field,
    comparable,
    describe_changes,
    present_merge,
    saved_by,
    seal,
    shown_value,
    snapshot,
    stored_value,
    unseal,
)

LOCK_FIELDS = {VERSION_FIELD, SNAPSHOT_FIELD, RESOLVING_FIELD}


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


class LockedModelForm(forms.ModelForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    lock_snapshot = forms.CharField(widget=forms.HiddenInput, required=False)
    lock_resolving = forms.IntegerField(widget=forms.HiddenInput, required=False)
    lock_relations: list[str] = []
    # Set for a restore from the history, which rewrites the row before the form is built:
    # the version the row had before, which the page was opened at.
    version_before_restore: int | None = None
    # Set when the object was saved since the page was opened: see filmdb.lib.merging.
    lock_report: MergeReport | None = None
    # Fields whose stored value the merge kept over the submitted one.
    _lock_kept: frozenset[str] = frozenset()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.initial[VERSION_FIELD] = self._opened_version(self.instance)
            self.initial[SNAPSHOT_FIELD] = seal(self._snapshot(self.instance))

    @property
    def changed_data(self) -> list[str]:
        """What this editor changed, for the history: never the lock's own hidden fields
        (posted, with no initial value, they always differ), nor what the merge kept as
        stored."""
        return [
            name
            for name in super().changed_data
            if name not in LOCK_FIELDS and name not in self._lock_kept
        ]

    def _model_field_names(self) -> list[str]:
        opts = self._meta.model._meta
        names = {f.name for f in opts.concrete_fields} | {f.name for f in opts.many_to_many}
        return [name for name in self.fields if name in names]

    def _snapshot(self, instance: models.Model) -> dict:
        return snapshot(instance, self._model_field_names(), self.lock_relations)

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
        opened = cleaned.get(VERSION_FIELD)
        if current is None or self._opened_version(current) == opened:
            return cleaned
        before = unseal(self.data.get(self.add_prefix(SNAPSHOT_FIELD)), current)
        now = self._snapshot(current)
        report = MergeReport(
            subject=str(current),
            by=saved_by(current, before, now),
            changes=describe_changes(type(current), before, now) if before else [],
        )
        self.lock_report = report
        # A restore is not merged: it rewrote the row before this form was built, so
        # "stored now" is the restored version, not the other editor's save.
        if before is None or opened is None or self.version_before_restore is not None:
            report.refused = True
            raise forms.ValidationError(report.refused_message(), code=REFUSED)
        self._take_unshown(current)
        report.conflicts = self._merge_fields(cleaned, before, now, current)
        self._resolving(current.version)
        if report.conflicts:
            raise forms.ValidationError(report.conflict_message(report.conflicts), code=CONFLICT)
        return cleaned

    def _opened_version(self, instance: models.Model) -> int:
        if self.version_before_restore is not None:
            return self.version_before_restore
        return instance.version

    def _take_unshown(self, current: models.Model) -> None:
        """The columns this form does not show, as stored now: the row was read before the
        other save, and would write back what it read (the import's snapshot, counts)."""
        for model_field in current._meta.concrete_fields:
            if model_field.name not in self.fields:
                setattr(self.instance, model_field.attname, getattr(current, model_field.attname))

    def _merge_fields(
        self, cleaned: dict, before: dict, now: dict, current: models.Model
    ) -> list[Conflict]:
        """Take the stored value of each field this editor left as the page showed it;
        return the fields both changed differently, unless the editor chose for them."""
        resolving = self.data.get(self.add_prefix(RESOLVING_FIELD)) == str(current.version)
        opts = type(current)._meta
        kept, conflicts = set(), []
        for name, shown in before["fields"].items():
            if name not in cleaned or name not in now["fields"]:
                continue
            model_field = opts.get_field(name)
            base, stored = shown["value"], now["fields"][name]["value"]
            mine = comparable(model_field, cleaned[name])
            choice_name = f"{CHOICE_FIELD}_{name}"
            choice = self.data.get(self.add_prefix(choice_name)) if resolving else None
            if stored in (base, mine):
                continue  # the other save left it, or made the same change
            if mine == base or choice == STORED:
                cleaned[name] = stored_value(current, model_field)
                kept.add(name)
                continue
            if choice == MINE:
                continue
            self.fields[choice_name] = choice_field(str(model_field.verbose_name))
            conflicts.append(
                Conflict(
                    str(model_field.verbose_name),
                    stored=now["fields"][name]["text"],
                    mine=shown_value(model_field, cleaned[name]),
                    choice=self[choice_name],
                )
            )
        self._lock_kept = frozenset(kept)
        return conflicts

    def _resolving(self, version: int) -> None:
        """The page shown again carries the version its conflicts are shown against."""
        data = self.data.copy()
        data[self.add_prefix(RESOLVING_FIELD)] = str(version)
        self.data = data


class LockedAdminMixin:
    """Before admin.ModelAdmin in the bases of a Versioned model's admin.

    `lock_relations`: the reverse relations edited inline, part of the snapshot.
    `lock_touches`: for an inline relation, the foreign key of its rows whose versioned
    model a saved row changes too (`{"credits": "person"}`: a credit saved on a film's page
    is a new version of its person).
    """

    form = LockedModelForm
    change_form_template = "admin/locked_change_form.html"
    # Paragraphs as stored, not as browsers send them: a text saved unchanged is unchanged.
    formfield_overrides = TEXT_FIELD_OVERRIDES
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

    def get_formsets_with_inlines(self, request: HttpRequest, obj=None):
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            yield type(formset.__name__, (LockedInlineFormSet, formset), {}), inline

    def changeform_view(
        self, request: HttpRequest, object_id=None, form_url: str = "", extra_context=None
    ):
        response = super().changeform_view(request, object_id, form_url, extra_context)
        context = getattr(response, "context_data", None)
        # A restore's page is django-reversion's template, which has no place for the
        # report: its refusal stays among the errors the admin lists.
        if context and "adminform" in context and not (extra_context or {}).get("revert"):
            present_merge(context)
        return response

    def revision_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context=None
    ):
        """Restoring an earlier version is a save like any other: locked against the version
        current when the page was opened, read here before the restore rewrites the row.

        django-reversion restores and then runs Django's change form view, which calls
        get_form itself; the version reaches get_form through a copy of this admin made
        for this one request.
        """
        # Only what this user may open, and a malformed id is no row: the permission checks
        # that follow answer for both.
        current = self.get_object(request, unquote(object_id))
        version_before_restore = current.version if current is not None else None
        restoring = copy.copy(self)
        restoring.get_form = functools.partial(
            self.get_form, version_before_restore=version_before_restore
        )
        return super(LockedAdminMixin, restoring).revision_view(
            request, object_id, version_id, extra_context
        )

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        """Raise the version of what `lock_touches` names for each inline row saved, added
        or deleted, so that a page opened on that object before merges with this save; say
        when this save was merged with another."""
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
        report = getattr(form, "lock_report", None)
        if report is not None:
            self.message_user(request, report.merged_message(), messages.WARNING)
