"""Merging two editors' saves of one change page (filmdb.lib.locking decides when).

Three states decide: what the page showed when it was opened (its snapshot), what its
editor submitted, and what is stored now. A field, or an inline row, that only one side
changed takes that side's value; one that both changed to different values is a conflict,
which the editor settles with a choice per field or row. Inline rows are whole: two
changes to one row conflict unless they are equal.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models import Q
from django.forms.formsets import DELETION_FIELD_NAME
from django.utils import formats, timezone
from django.utils.text import Truncator
from reversion.models import Version

VERSION_FIELD = "lock_version"
SNAPSHOT_FIELD = "lock_snapshot"
# The version that the conflicts on a page were shown against: a choice holds only as
# long as nothing was saved since.
RESOLVING_FIELD = "lock_resolving"
CHOICE_FIELD = "lock_choice"
MINE, STORED = "mine", "stored"
CHOICES = [(MINE, "Meine Fassung übernehmen"), (STORED, "Gespeicherte Fassung behalten")]
# Codes of the errors that hold a save back for the locking, shown apart from the others.
REFUSED, CONFLICT = "lock_refused", "lock_conflict"
GONE = "(gelöscht)"
ROWS_CONFLICT = (
    "Einige dieser Einträge wurden inzwischen von jemand anderem anders geändert als von "
    "Ihnen. Oben steht, welche; wählen Sie dort, welche Fassung jeweils gelten soll."
)
_SALT = "filmdb.lib.merging.snapshot"


def _key(value):
    return value.pk if isinstance(value, models.Model) else value


def _plain(value):
    if isinstance(value, str):
        # Browsers send a textarea's line breaks as CRLF, and forms strip what they read.
        return value.replace("\r\n", "\n").strip() or None
    if isinstance(value, datetime.datetime):
        # The admin's date and time inputs show whole seconds.
        value = value.replace(microsecond=0)
        if timezone.is_aware(value):
            value = value.astimezone(datetime.UTC)
        return value.isoformat()
    if isinstance(value, datetime.time):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)


def comparable(model_field: models.Field, value):
    """`value` of `model_field` as JSON, equal for what an editor sees as the same value: a
    related object and its key, a stored value and what its form field cleans it to."""
    if model_field.many_to_many:
        return sorted(_key(item) for item in value or ())
    if model_field.is_relation:
        return _key(value)
    if isinstance(model_field, models.FileField):
        if isinstance(value, UploadedFile):
            return ["upload", value.name]  # a file sent is a change, whatever its name
        return getattr(value, "name", value) or None
    return _plain(value)


def _shown(value) -> str:
    if value is None or value == "":
        return "leer"
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return str(formats.localize(value))


def shown_value(model_field: models.Field, value) -> str:
    """`value` of `model_field` as the editor reads it."""
    if model_field.many_to_many:
        value = ", ".join(sorted(str(item) for item in value or ()))
    elif model_field.is_relation:
        value = "" if value is None else str(value)
    elif isinstance(model_field, models.FileField):
        value = getattr(value, "name", None) or ""
    elif model_field.choices and value not in (None, ""):
        value = dict(model_field.flatchoices).get(value, value)
    return _shown(value)


def stored_value(instance: models.Model, model_field: models.Field):
    """What a form field of `model_field` holds for `instance`: objects, not their keys."""
    if model_field.many_to_many:
        return list(getattr(instance, model_field.name).all())
    if model_field.is_relation:
        return getattr(instance, model_field.name)
    return model_field.value_from_object(instance)


def row_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.editable and not f.primary_key]


def row_state(row: models.Model, fields: list[models.Field]) -> dict:
    # Keys from the row itself (`person_id`): reading its related objects costs a query each.
    values = {f.name: comparable(f, getattr(row, f.attname)) for f in fields}
    return {"text": str(row), "values": values}


def relation_rows(instance: models.Model, relation: str) -> dict[str, dict]:
    """The rows of the reverse relation `relation`, by primary key, in one query."""
    related = instance._meta.get_field(relation).related_model
    # A row's text names what it points to (a credit its person): read with the rows.
    pointed_to = [f.name for f in related._meta.concrete_fields if f.many_to_one]
    rows = getattr(instance, relation).select_related(*pointed_to)
    fields = row_fields(related)
    return {str(row.pk): row_state(row, fields) for row in rows}


def snapshot(instance: models.Model, field_names: list[str], relations: list[str]) -> dict:
    """What a change page shows of `instance`: its fields and its inlines' rows, each with
    a value to compare and a text to show."""
    fields = {}
    for name in field_names:
        model_field = instance._meta.get_field(name)
        value = stored_value(instance, model_field)
        fields[name] = {
            "value": comparable(model_field, value),
            "text": shown_value(model_field, value),
        }
    return {
        "object": f"{instance._meta.label}:{instance.pk}",
        "opened": timezone.now().isoformat(),
        "fields": fields,
        "rows": {relation: relation_rows(instance, relation) for relation in relations},
    }


def seal(shown: dict) -> str:
    """The snapshot for the page's hidden field: signed, so that a merge trusts only what
    the server showed; compressed, as a film's 300 credits would be some 40 kB."""
    return signing.dumps(shown, salt=_SALT, compress=True)


def unseal(text: str | None, instance: models.Model) -> dict | None:
    """The snapshot `seal` made of `instance`, or None for anything else."""
    try:
        shown = signing.loads(text or "", salt=_SALT)
    except signing.BadSignature:
        return None
    if shown.get("object") != f"{instance._meta.label}:{instance.pk}":
        return None
    return shown


def _brief(text: str) -> str:
    # A message names a change; a whole synopsis in it would bury the others.
    return Truncator(text).chars(120)


def describe_changes(model: type[models.Model], before: dict, now: dict) -> list[str]:
    """What changed from snapshot `before` to snapshot `now`, a text for each field and a
    change, addition or removal for each row."""
    changes = []
    for name, state in now["fields"].items():
        old = before["fields"].get(name)
        if old is not None and old["value"] != state["value"]:
            label = model._meta.get_field(name).verbose_name
            changes.append(f"{label}: „{_brief(old['text'])}“ → „{_brief(state['text'])}“")
    for relation, rows in now["rows"].items():
        old_rows = before["rows"].get(relation)
        if old_rows is None:
            continue
        parts = []
        for pk, row in rows.items():
            old = old_rows.get(pk)
            if old is None:
                parts.append(f"„{row['text']}“ hinzugefügt")
            elif old["values"] != row["values"]:
                parts.append(f"„{old['text']}“ → „{row['text']}“")
        parts += [f"„{old['text']}“ entfernt" for pk, old in old_rows.items() if pk not in rows]
        if parts:
            label = model._meta.get_field(relation).related_model._meta.verbose_name_plural
            changes.append(f"{label}: {', '.join(parts)}")
    return changes


def saved_by(instance: models.Model, before: dict | None, now: dict) -> str:
    """Who saved `instance` since the page of snapshot `before` was opened, and when:
    "von redaktion um 10:42 Uhr", from the newest revision holding it or one of its rows
    (a credit changed on its person's page is a new version of the film)."""
    if before is None:
        return "von jemand anderem"
    model = type(instance)
    held = Q(content_type=ContentType.objects.get_for_model(model), object_id=str(instance.pk))
    for relation, rows in now["rows"].items():
        related = model._meta.get_field(relation).related_model
        pks = set(rows) | set(before["rows"].get(relation, {}))
        if pks:
            held |= Q(content_type=ContentType.objects.get_for_model(related), object_id__in=pks)
    opened = datetime.datetime.fromisoformat(before["opened"])
    newest = (
        Version.objects.filter(held, revision__date_created__gt=opened)
        .select_related("revision__user")
        .order_by("-revision__date_created", "-revision_id")
        .first()
    )
    if newest is None:
        return "von jemand anderem"
    revision = newest.revision
    who = revision.user.get_username() if revision.user else "jemand anderem"
    when = timezone.localtime(revision.date_created)
    day = "" if when.date() == timezone.localdate() else f"am {when:%d.%m.%Y} "
    return f"von {who} {day}um {when:%H:%M} Uhr"


@dataclass
class Conflict:
    """A field or row both editors changed, each differently: shown side by side."""

    label: str
    stored: str
    mine: str
    choice: forms.BoundField


def choice_field(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=CHOICES, widget=forms.RadioSelect, required=False)


def _labels(conflicts: list[Conflict]) -> str:
    return ", ".join(dict.fromkeys(conflict.label for conflict in conflicts))


@dataclass
class MergeReport:
    """A save of a page opened before the object's last save: by whom that was, what it
    changed, and how this save fares."""

    subject: str
    by: str
    changes: list[str]
    refused: bool = False
    conflicts: list[Conflict] = field(default_factory=list)

    def _saved(self) -> str:
        text = (
            f"„{self.subject}“ wurde {self.by} gespeichert, nachdem Sie die Seite geöffnet hatten."
        )
        if self.changes:
            text += " Inzwischen geändert: " + "; ".join(self.changes) + "."
        return text

    def refused_message(self) -> str:
        return (
            self._saved() + " Ihre Änderungen wurden nicht gespeichert, damit nichts verloren "
            "geht. Bitte laden Sie die Seite neu und tragen Sie Ihre Änderungen noch einmal ein."
        )

    def conflict_message(self, conflicts: list[Conflict]) -> str:
        return (
            self._saved() + f" Beide Fassungen ändern dieselben Angaben unterschiedlich: "
            f"{_labels(conflicts)}. Noch ist nichts gespeichert. Wählen Sie für jede dieser "
            "Angaben, welche Fassung gelten soll, und speichern Sie erneut; alle übrigen "
            "Änderungen werden dabei zusammengeführt."
        )

    def pending_message(self) -> str:
        return self._saved() + " Ihre Änderungen werden beim Speichern mit diesen zusammengeführt."

    def merged_message(self) -> str:
        return self._saved() + " Ihre Änderungen wurden mit diesen zusammengeführt und gespeichert."


class LockedInlineFormSet:
    """Mixed into each inline formset of a locked admin: when the object was saved since
    its page was opened, the rows merge as the page's fields do, row by row."""

    lock_conflicts: list[Conflict] = []
    _lock_shown: dict | None = None
    _lock_readded: list = []
    _lock_rows: list | None = None

    def full_clean(self) -> None:
        self.lock_conflicts, self._lock_readded = [], []
        self._lock_shown = self._rows_shown_if_saved_since()
        if self._lock_shown is not None:
            fields = row_fields(self.model)
            # Read before validating the forms writes what was submitted into their rows.
            self._lock_stored = {
                str(form.instance.pk): row_state(form.instance, fields)
                for form in self.initial_forms
                if not form.instance._state.adding
            }
        super().full_clean()

    def _rows_shown_if_saved_since(self) -> dict | None:
        parent, opened = self.instance, self.data.get(VERSION_FIELD)
        if parent.pk is None or not opened:
            return None
        shown = unseal(self.data.get(SNAPSHOT_FIELD), parent)
        if shown is None:
            return None
        # Read under the lock that the page's form took (LockedModelForm.clean).
        version = (
            type(parent)._base_manager.filter(pk=parent.pk).values_list("version", flat=True)
        ).first()
        if version is None or str(version) == opened:
            return None
        self._lock_version = version
        return shown["rows"].get(self.fk.remote_field.get_accessor_name())

    def clean(self) -> None:
        conflicts = self._merge_rows() if self._lock_shown is not None else []
        errors = []
        try:
            super().clean()
        except ValidationError as error:
            errors = error.error_list
        if conflicts:
            self.lock_conflicts = conflicts
            errors.append(ValidationError(ROWS_CONFLICT, code=CONFLICT))
        if errors:
            raise ValidationError(errors)

    def get_queryset(self):
        # The admin pairs each row's form with the queryset's row at its place: with rows
        # deleted since the page was opened, their forms would be paired with the wrong
        # rows, and the last ones left out of the page shown again.
        return self._lock_rows if self._lock_rows is not None else super().get_queryset()

    def _merge_rows(self) -> list[Conflict]:
        resolving = self.data.get(RESOLVING_FIELD) == str(self._lock_version)
        label = str(self.model._meta.verbose_name_plural)
        pk_name = self.model._meta.pk.name
        conflicts = []
        if any(form.instance._state.adding for form in self.initial_forms):
            self._lock_rows = [form.instance for form in self.initial_forms]
        for form in self.initial_forms:
            pk = str(self.data.get(form.add_prefix(pk_name)))
            shown = self._lock_shown.get(pk)
            if shown is None:
                continue  # not a row the page showed: validated as Django does
            stored = self._lock_stored.get(pk)
            if stored is None:
                # Gone since: the merge decides about the row, not "no such row" of its key.
                form.errors.pop(pk_name, None)
            names = [n for n in form.fields if n in shown["values"] and n != self.fk.name]
            base = {n: shown["values"][n] for n in names}
            theirs = None if stored is None else {n: stored["values"][n] for n in names}
            mine = None if self._deleting(form) else self._submitted(form, names)
            if mine == base:
                if theirs != base:
                    self._keep_stored(form, gone=theirs is None)
                continue
            if theirs in (base, mine):
                continue
            choice = self.data.get(form.add_prefix(CHOICE_FIELD)) if resolving else None
            if choice == MINE:
                if theirs is None:
                    self._readd(form)
            elif choice == STORED:
                self._keep_stored(form, gone=theirs is None)
            else:
                form.fields[CHOICE_FIELD] = choice_field(label)
                conflicts.append(
                    Conflict(
                        label,
                        stored=GONE if stored is None else stored["text"],
                        mine=GONE if mine is None else str(form.instance),
                        choice=form[CHOICE_FIELD],
                    )
                )
        return conflicts

    def _deleting(self, form) -> bool:
        return self.can_delete and form.cleaned_data.get(DELETION_FIELD_NAME, False)

    def _submitted(self, form, names: list[str]) -> dict:
        opts = self.model._meta
        return {n: comparable(opts.get_field(n), form.cleaned_data.get(n)) for n in names}

    def _keep_stored(self, form, *, gone: bool) -> None:
        if gone:
            # Deleted, the form is left out of the unique checks, and the save passes over
            # it, as over every form whose row is gone.
            form.errors.clear()
            if self.can_delete:
                form.cleaned_data[DELETION_FIELD_NAME] = True
            return
        if self.can_delete:
            form.cleaned_data[DELETION_FIELD_NAME] = False
        # As submitted, the row would be saved back as the page showed it.
        form.changed_data = []

    def _readd(self, form) -> None:
        # Its row is gone: the save passes over the form, which makes a new row here.
        self._lock_readded.append(form)

    def save_new_objects(self, commit: bool = True) -> list:
        saved = super().save_new_objects(commit)
        for form in self._lock_readded:
            saved.append(self.save_new(form, commit=commit))
            if not commit:
                self.saved_forms.append(form)
        return saved


def _lock_errors(errors) -> bool:
    return all(error.code in (REFUSED, CONFLICT) for error in errors.as_data())


def present_merge(context: dict) -> None:
    """Show a page's merge report above its fields (admin/locked_change_form.html), and
    leave the locking's errors out of the admin's "please correct the errors below"."""
    form = context["adminform"].form
    report = getattr(form, "lock_report", None)
    if report is None:
        return
    formsets = [inline.formset for inline in context["inline_admin_formsets"]]
    lists = list(form.errors.values())
    for formset in formsets:
        lists.append(formset.non_form_errors())
        lists += chain.from_iterable(errors.values() for errors in formset.errors)
    others = [errors for errors in lists if errors and not _lock_errors(errors)]
    conflicts = [
        *report.conflicts,
        *chain.from_iterable(getattr(f, "lock_conflicts", ()) for f in formsets),
    ]
    if report.refused:
        message = report.refused_message()
    elif conflicts:
        message = report.conflict_message(conflicts)
    else:
        message = report.pending_message()
    in_form = any(e.code in (REFUSED, CONFLICT) for e in form.non_field_errors().as_data())
    context["errors"] = others
    context["merge"] = {
        "message": message,
        # With other errors the admin lists the form's own, this message among them.
        "show_message": not (others and in_form),
        "is_error": report.refused or bool(conflicts),
        "by": report.by,
        "conflicts": conflicts,
        "resolving": form[RESOLVING_FIELD],
    }
