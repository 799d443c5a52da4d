"""The admin's history by permission: django-reversion's views, held to their admin's own
model and to the objects the user may change.

django-reversion restores a whole revision before it checks anything, and keeps the
restore whenever the change form then answers with a redirect, which that form also does
for an object the user may not see. Here a restore is checked before it touches a row,
restores only the page it was asked for, and is kept only when the change form saved and
logged that very object: a save like any other, with its lock check, its revision and its
admin log entry.
"""

import copy
import json
from collections import defaultdict
from itertools import chain

from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import quote, unquote
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models.deletion import Collector
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.formats import localize
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _
from reversion.admin import VersionAdmin
from reversion.errors import RevertError

# Private in django-reversion: its own steps of a restore, which this one narrows to a page.
from reversion.models import Version, _safe_revert
from reversion.revisions import _follow_relations_recursive


class _Undo(Exception):
    """Leaves a restore's transaction, which rolls it back, with the response to give."""

    def __init__(self, response: HttpResponse) -> None:
        super().__init__()
        self.response = response


def _key(model: type[models.Model], pk) -> tuple:
    return model._meta.concrete_model, str(pk)


class PermittedVersionAdmin(VersionAdmin):
    """VersionAdmin whose history, restore and recover views serve only this admin's model
    and only objects the user may change.

    A restore brings back the page it was opened on: the object and its inlines' rows as
    that revision stored them, never the other objects the revision holds (a bulk action
    saves many films or several critics' reviews in one revision; a film's entry restores
    that film). It is refused, with nothing changed, when the user may not change one of
    those rows as it is now or as it was stored, may not add one that is gone, or may not
    delete one that the restore removes (rows added since, as django-reversion does).
    """

    # Set on the copy of this admin that serves one restore: what its log entry says, and
    # the entry, which tells that the change form saved the object.
    restore_comment: str | None = None
    restore_entry: LogEntry | None = None

    def history_view(self, request: HttpRequest, object_id: str, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        # Only what the user may change: its old versions are what a restore would bring back.
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def revision_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context=None
    ):
        object_id = unquote(object_id)
        obj = self.get_object(request, object_id)
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        # A version of this object of this model: an id of another model's version with
        # the same object id is not one.
        version = get_object_or_404(
            Version.objects.get_for_object(obj).select_related("revision"), pk=version_id
        )
        context = {
            "title": _("Revert %(name)s") % {"name": version.object_repr},
            "revert": True,
            **(extra_context or {}),
        }
        template = self.revision_form_template or self._reversion_get_template_list(
            "revision_form.html"
        )
        when = localize(template_localtime(version.revision.date_created))
        back = reverse(self._url_name("history"), args=[quote(obj.pk)])
        return self._restore_view(
            request, version, obj, template, context, f"Stand vom {when} wiederhergestellt.", back
        )

    def recoverlist_view(self, request: HttpRequest, extra_context=None):
        if not self.has_change_permission(request) or not self.has_add_permission(request):
            raise PermissionDenied
        # reversion's page, with its list of every deleted object replaced.
        context = {**(extra_context or {}), "deleted": self._recoverable(request)}
        return super().recoverlist_view(request, context)

    def recover_view(self, request: HttpRequest, version_id: str, extra_context=None):
        if not self.has_change_permission(request) or not self.has_add_permission(request):
            raise PermissionDenied
        # Only what the list offers: an object of this model that is deleted now, and that
        # the user may change as it was stored. Recovered meanwhile, it is not on the list.
        recoverable = self._recoverable(request, pk=version_id)
        if not recoverable:
            raise Http404
        version = recoverable[0]
        context = {
            "title": _("Recover %(name)s") % {"name": version.object_repr},
            "recover": True,
            **(extra_context or {}),
        }
        template = self.recover_form_template or self._reversion_get_template_list(
            "recover_form.html"
        )
        when = localize(template_localtime(version.revision.date_created))
        comment = f"Nach dem Löschen wiederhergestellt, Stand vom {when}."
        back = reverse(self._url_name("recoverlist"))
        return self._restore_view(request, version, None, template, context, comment, back)

    def log_change(self, request: HttpRequest, obj: models.Model, message):
        if self.restore_comment is None:
            return super().log_change(request, obj, message)
        text = self.restore_comment
        if message:  # what the restore form was changed in besides
            text += " " + LogEntry(change_message=json.dumps(message)).get_change_message()
        # Also the new revision's comment (VersionAdmin.log_change).
        self.restore_entry = super().log_change(request, obj, text)
        return self.restore_entry

    def _url_name(self, view: str) -> str:
        return f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_{view}"

    def _recoverable(self, request: HttpRequest, **lookups) -> list[Version]:
        """The latest versions of this model's deleted objects that the user may change."""
        deleted = Version.objects.get_deleted(self.model).filter(**lookups)
        deleted = self._reversion_order_version_queryset(
            request, deleted.select_related("revision")
        )
        return [version for version in deleted if self._may_change_stored(request, version)]

    def _may_change_stored(self, request: HttpRequest, version: Version) -> bool:
        try:
            stored = version._object_version.object
        except RevertError:
            return False  # data this model can no longer read: no restore could use it
        return self.has_change_permission(request, stored)

    def _restore_view(
        self,
        request: HttpRequest,
        version: Version,
        current: models.Model | None,
        template_name,
        context: dict,
        comment: str,
        back: str,
    ) -> HttpResponse:
        """Restore `version`'s page, then show or save it through the change form, all in one
        transaction that is kept only when the form saved and logged this object."""
        if "_saveasnew" in request.POST:
            # Django's change form would add a copy instead: no restore.
            raise PermissionDenied
        restoring = copy.copy(self)
        restoring.restore_comment = comment
        restoring.restore_entry = None
        try:
            with transaction.atomic(using=version.db):
                # One revision for what the restore rewrites and what the form then saves.
                # Signals are not muted for a restore only shown, as django-reversion mutes
                # them: that disconnects the receivers in every thread of the process, the
                # lock's version counter among them; what receivers write here is rolled
                # back with the rest.
                with self.create_revision(request):
                    refused = restoring._restore(request, version, current)
                    if refused:
                        messages.error(
                            request,
                            f"„{version.object_repr}“ wurde nicht wiederhergestellt: Dieser "
                            "Stand enthält Inhalte, die Sie nicht ändern dürfen ("
                            + ", ".join(refused)
                            + "). Es wurde nichts geändert.",
                        )
                        raise _Undo(redirect(back))
                    response = restoring.changeform_view(
                        request, quote(version.object_id), request.path, context
                    )
                entry = restoring.restore_entry
                if (
                    request.method == "POST"
                    and response.status_code == 302
                    and entry is not None
                    and str(entry.object_id) == version.object_id
                ):
                    return response
                if response.status_code == 200:
                    # The form, shown or refused (a stale lock): rendered from the restored
                    # rows before they are rolled back.
                    response.template_name = template_name
                    response.render()
                    raise _Undo(response)
                messages.error(request, f"„{version.object_repr}“ wurde nicht wiederhergestellt.")
                raise _Undo(redirect(back))
        except _Undo as undone:
            return undone.response
        except (RevertError, models.ProtectedError) as error:
            messages.error(request, str(error))
            return redirect(self._url_name("changelist"))

    def _restore(
        self, request: HttpRequest, version: Version, current: models.Model | None
    ) -> list[str]:
        """Rewrite the page's rows as `version`'s revision stored them, or, when the user may
        not, change nothing and name what refused it."""
        inlines = self._inline_admins()
        rows = self._page_versions(version, inlines)
        stored = {_key(row._model, row.object_id): row._object_version.object for row in rows}
        present = self._present(rows)
        # What the stored page does not hold any more goes, as reversion's revert(delete=True).
        followed = chain.from_iterable(_follow_relations_recursive(obj) for obj in present.values())
        removed = {_key(type(obj), obj.pk): obj for obj in followed}
        removed = {key: obj for key, obj in removed.items() if key not in stored}

        refused = set()
        for key, obj in stored.items():
            now = present.get(key)
            if now is None:
                allowed = self._may(request, "add", obj, current, inlines)
            else:
                allowed = self._may(request, "change", now, current, inlines)
            if not (allowed and self._may(request, "change", obj, current, inlines)):
                refused.add(str(obj._meta.verbose_name))
        for obj in removed.values():
            if not self._may(request, "delete", obj, current, inlines):
                refused.add(str(obj._meta.verbose_name))
        if refused:
            return sorted(refused)

        by_model = defaultdict(list)
        for obj in removed.values():
            by_model[type(obj)].append(obj)
        collector = Collector(using=version.db)
        for objs in by_model.values():
            collector.collect(objs)
        collector.delete()
        _safe_revert(rows)
        return []

    def _inline_admins(self) -> dict:
        """This page's inlines by their model, each with the foreign key to this model."""
        inlines = {}
        for inline_class in self.inlines:
            model, accessor = self._reversion_introspect_inline_admin(inline_class)
            if model is None or accessor is None:
                continue
            inline = inline_class(self.model, self.admin_site)
            inlines[model._meta.concrete_model] = (inline, getattr(self.model, accessor).field)
        return inlines

    def _page_versions(self, version: Version, inlines: dict) -> list[Version]:
        """`version` and its revision's versions of the rows its page edits inline."""
        rows = [version]
        for model, (_inline, foreign_key) in inlines.items():
            in_revision = Version.objects.get_for_model(model).filter(revision=version.revision)
            rows += [
                row
                for row in in_revision
                if str(row.field_dict.get(foreign_key.attname)) == version.object_id
            ]
        return rows

    def _present(self, rows: list[Version]) -> dict:
        """The rows as they are now, by model and primary key: one query a model."""
        pks = defaultdict(list)
        for row in rows:
            pks[row._model].append(row.object_id)
        present = {}
        for model, ids in pks.items():
            for obj in model._base_manager.filter(pk__in=ids):
                present[_key(model, obj.pk)] = obj
        return present

    def _may(
        self,
        request: HttpRequest,
        action: str,
        obj: models.Model,
        parent: models.Model | None,
        inlines: dict,
    ) -> bool:
        """Whether the user may `action` ("add", "change", "delete") `obj`: as this page's
        inline checks its rows, else as the model's own admin checks it, else by the
        model's permission."""
        model = obj._meta.concrete_model
        if model in inlines:
            inline, _foreign_key = inlines[model]
            return getattr(inline, f"has_{action}_permission")(request, parent)
        model_admin: ModelAdmin | None = (
            self
            if model is self.model._meta.concrete_model
            else self.admin_site._registry.get(model)
        )
        if model_admin is None:
            opts = model._meta
            return request.user.has_perm(
                f"{opts.app_label}.{get_permission_codename(action, opts)}"
            )
        if action == "add":
            return model_admin.has_add_permission(request)
        return getattr(model_admin, f"has_{action}_permission")(request, obj)
