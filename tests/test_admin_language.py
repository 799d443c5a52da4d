"""The admin speaks to editors as Django's German admin does, with "Sie" (the public site
says "du")."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.test import RequestFactory

from tests.pages import visible_text

# "du" and its forms, and the informal imperatives filmdb's messages used.
INFORMAL = re.compile(
    r"\b(du|dich|dir|dein\w*|gib|trag|wähle|lade|versuch|öffne|entferne|bitte jemanden)\b",
    re.IGNORECASE,
)


def texts_of_every_admin(request) -> list[tuple[str, str]]:
    """(where, text) of the help texts, fieldset descriptions, search hints, validation and
    constraint messages of every admin form an editor can open, inlines included."""
    texts = []
    for model, model_admin in admin.site._registry.items():
        where = model._meta.label
        if not (
            model_admin.has_add_permission(request) or model_admin.has_change_permission(request)
        ):
            continue  # a list to read (offers are edited on their film)
        texts.append((f"{where} search", model_admin.search_help_text or ""))
        for title, options in model_admin.get_fieldsets(request):
            texts.append((f"{where} {title}", options.get("description", "")))
        inlines = model_admin.get_inline_instances(request)
        forms = [model_admin.get_form(request)] + [i.get_formset(request).form for i in inlines]
        for form in forms:
            for constraint in form._meta.model._meta.constraints:
                texts.append((constraint.name, constraint.violation_error_message))
            for name, field in form.base_fields.items():
                texts.append((f"{where} {name}", field.help_text))
                texts += [(f"{where} {name}", getattr(v, "message", "")) for v in field.validators]
    return [(where, str(text)) for where, text in texts]


@pytest.mark.django_db
def test_help_texts_descriptions_and_validation_messages_address_editors_as_sie():
    request = RequestFactory().get("/admin/")
    request.user = get_user_model().objects.create_superuser("chefin", password="x" * 20)

    texts = texts_of_every_admin(request)

    assert [(where, text) for where, text in texts if INFORMAL.search(text)] == []
    # What the check read: the offers' link check, the person's dates, a film's moment.
    read = " ".join(text for _, text in texts)
    for formal in ["Geben Sie eine Adresse ein", "tragen Sie es", "sobald Sie veröffentlichen"]:
        assert formal in read


def test_the_locked_out_page_addresses_editors_as_sie():
    page = visible_text(render_to_string("admin/locked_out.html", {"failure_limit": 5}))

    assert not INFORMAL.search(page), page
    assert "Versuchen Sie es danach noch einmal" in page
