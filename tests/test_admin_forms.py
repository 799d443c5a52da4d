"""Every admin form saves as a browser submits it, for everyone who may change its model.

The models come from the admin's registry: a model registered later is covered here
without a test of its own. Each form is read from the served page and submitted as a
browser would (tests/html_forms.py): what the page does not render is not sent.
"""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import models
from django.test import RequestFactory
from django.urls import reverse

from filmdb.models import InfoPage
from films.models import Offer
from reviews.models import Review
from tests.admin_forms import change_form_data, errors_of, rendered_form
from tests.conftest import make_user

REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
IDS = [model._meta.label for model, _ in REGISTERED]

# Read-only by design: nobody adds these in the admin (logins write them; offers are
# added on their film's page).
ADDED_ELSEWHERE = {AccessAttempt, AccessLog, AccessFailureLog, Offer}


@pytest.fixture
def content(demo_film, critic):
    """Something of every registered model to open, a critic's own review included."""
    Review.objects.create(
        film=demo_film, author=critic, body="Ein eigener Text.", verdict="Ein eigenes Fazit."
    )
    for model in [AccessAttempt, AccessLog, AccessFailureLog]:
        fields = {"username": "jemand", "ip_address": "192.0.2.1", "user_agent": "Browser"}
        if model is AccessAttempt:
            fields["failures_since_start"] = 1
        model.objects.create(**fields)
    return demo_film


def people_who_may_change(model: type[models.Model]) -> list:
    """A superuser and a member of every group that may change `model`."""
    opts = model._meta
    people = [get_user_model().objects.create_superuser("chefin", "chefin@example.com", "x")]
    permission = Permission.objects.get(
        content_type__app_label=opts.app_label, codename=f"change_{opts.model_name}"
    )
    for group in Group.objects.filter(permissions=permission).order_by("name"):
        member = group.user_set.order_by("pk").first()  # the critic with their own review
        people.append(member or make_user(f"mitglied-{group.name.lower()}", group.name))
    return people


def request_of(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def first_changeable(model_admin, user):
    request = request_of(user)
    for obj in model_admin.get_queryset(request).order_by("pk")[:50]:
        if model_admin.has_change_permission(request, obj):
            return obj
    pytest.fail(f"nothing of {model_admin.model._meta.label} that {user} may change")


def to_the_second(value):
    # The admin's date and time inputs show whole seconds, as editors read them.
    return value.replace(microsecond=0) if isinstance(value, datetime.datetime) else value


def stored(obj: models.Model) -> dict:
    """What is stored of `obj` and its rows, less what every save stamps."""
    model = type(obj)
    fresh = model._base_manager.get(pk=obj.pk)
    values = {
        field.attname: to_the_second(getattr(fresh, field.attname))
        for field in model._meta.concrete_fields
        if field.name != "version" and not getattr(field, "auto_now", False)
    }
    for relation in model._meta.related_objects:
        if relation.one_to_many and not relation.related_model._meta.auto_created:
            rows = relation.related_model._base_manager.filter(**{relation.field.name: obj})
            values[relation.name] = sorted(rows.values_list("pk", flat=True))
    return values


def editable_text_field(response, model: type[models.Model]) -> models.Field | None:
    """The first plain text field the page lets its reader type into."""
    typed = {
        control.name
        for control in rendered_form(response)
        if control.type in {"text", "textarea"} and "disabled" not in control.attrs
    }
    for field in model._meta.concrete_fields:
        plain = isinstance(field, models.CharField | models.TextField) and not isinstance(
            field, models.SlugField | models.EmailField | models.URLField
        )
        if plain and field.name in typed and not field.choices and field.name != "imdb_id":
            return field
    return None


def edited(value: str, field: models.Field) -> str:
    value = f"{value}-neu" if value else "neu"
    if field.max_length and len(value) > field.max_length:
        value = value[: field.max_length - 4] + "-neu"
    return value


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=IDS)
def test_a_change_form_saves_unchanged_and_with_one_text_edited(
    client, content, model, model_admin
):
    for user in people_who_may_change(model):
        if not model_admin.has_change_permission(request_of(user)):
            continue  # a list to read (Offer's clicks)
        client.force_login(user)
        obj = first_changeable(model_admin, user)
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        page = client.get(url)
        assert page.status_code == 200, (user, url)
        before = stored(obj)

        response = client.post(url, change_form_data(page))
        assert response.status_code == 302, (user, errors_of(response))
        assert stored(obj) == before, f"{user} saved {obj!r} unchanged, and it changed"

        page = client.get(url)
        field = editable_text_field(page, model)
        if field is None:
            continue
        value = edited(getattr(obj, field.attname), field)
        response = client.post(url, change_form_data(page, **{field.name: value}))
        assert response.status_code == 302, (user, field.name, errors_of(response))
        assert getattr(model._base_manager.get(pk=obj.pk), field.attname) == value


def typed_value(control, client, number: int) -> list[str]:
    """What a person puts into a required control left empty."""
    kind = control.type
    if kind in {"select-one", "select-multiple"}:
        choices = [value for value, _, disabled in control.options if value and not disabled]
        if not choices and "data-ajax--url" in control.attrs:
            # An autocomplete: the first suggestion for nothing typed yet.
            found = client.get(
                control.attrs["data-ajax--url"],
                {
                    "term": "",
                    "app_label": control.attrs["data-app-label"],
                    "model_name": control.attrs["data-model-name"],
                    "field_name": control.attrs["data-field-name"],
                },
            ).json()["results"]
            choices = [str(found[0]["id"])]
        return choices[:1]
    if kind == "checkbox":
        return [control.attrs.get("value") or "on"]
    typed = {
        "password": "Ein-langes-Passwort-2026",
        "email": f"neu{number}@example.com",
        "url": "https://example.com/",
        "date": "2020-01-01",
        "time": "10:00",
        "number": control.attrs.get("min") or "1",
    }
    return [typed.get(kind, f"neu-{number}")]


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=IDS)
def test_an_add_form_with_its_required_fields_filled_creates_the_object(
    client, content, model, model_admin
):
    if model in ADDED_ELSEWHERE:
        assert not model_admin.has_add_permission(request_of(get_user_model()(is_superuser=True)))
        return
    # Each page exists once: room for one to be added.
    InfoPage.objects.all().delete()
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    for number, user in enumerate(people_who_may_change(model)):
        if not model_admin.has_add_permission(request_of(user)):
            continue
        client.force_login(user)
        page = client.get(url)
        assert page.status_code == 200, (user, url)
        data = change_form_data(page)
        for control in rendered_form(page):
            # Required, or a password (a new user's two, required unless the user is
            # created without one).
            needed = control.required or control.type == "password"
            if needed and "-" not in control.name and not data.get(control.name):
                data[control.name] = typed_value(control, client, number)
        count = model._base_manager.count()

        response = client.post(url, data)
        assert response.status_code == 302, (user, errors_of(response))
        assert model._base_manager.count() == count + 1
        InfoPage.objects.all().delete()
