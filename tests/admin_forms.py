"""POST data for the admin's forms, as a browser sends it."""

from django.urls import reverse

from tests.html_forms import Control, form_controls, submission

# A film as an editor types it into the add page.
SAMPLE_FILM = {
    "title": "Ein Prophet",
    "original_title": "Un prophète",
    "slug": "ein-prophet-2009",
    "year": "2009",
    "runtime": "155",
    "fsk": "16",
    "countries": "Frankreich",
}


def film_form_data(
    page,
    *,
    credits: list[dict] = (),
    offers: list[dict] = (),
    alternative_titles: list[dict] = (),
    **fields,
) -> dict:
    """The film add page `page` as a browser submits it: the sample film's fields typed in,
    `fields` typed over them, and the inline rows filled in, the page's empty rows first,
    then rows added as its "hinzufügen" links add them."""
    typed = {key: "" if value is None else str(value) for key, value in fields.items()}
    data = change_form_data(page, **{**SAMPLE_FILM, **typed})
    for prefix, rows in [
        ("credits", credits),
        ("offers", offers),
        ("alternative_titles", alternative_titles),
    ]:
        empty_rows = range(int(data[f"{prefix}-INITIAL_FORMS"]), int(data[f"{prefix}-TOTAL_FORMS"]))
        for number, values in enumerate(rows):
            row = (
                empty_rows[number]
                if number < len(empty_rows)
                else add_inline_row(data, page, prefix)
            )
            data.update(
                {
                    f"{prefix}-{row}-{field}": "" if value is None else str(value)
                    for field, value in values.items()
                }
            )
    return data


def errors_of(response) -> str:
    """The text of every error the admin shows on a re-rendered form."""
    context = response.context
    messages = [str(e) for e in context["adminform"].form.errors.values()]
    for formset in context["inline_admin_formsets"]:
        messages += [str(e) for e in formset.formset.errors]
        messages += [str(e) for e in formset.formset.non_form_errors()]
    return " ".join(messages)


def admin_form_id(response) -> str:
    """The id Django's admin gives its change and add form: `<model_name>_form`."""
    return f"{response.context['opts'].model_name}_form"


def rendered_form(response) -> list[Control]:
    return form_controls(response.content.decode(), admin_form_id(response))


def change_form_data(response, *, submit: str = "_save", **changes) -> dict:
    """The POST of an admin change or add page as a browser sends it, with `changes` typed.

    Read from the served HTML, so what the page does not render is not sent: a field
    missing from the fieldsets, a disabled control, an unchecked box. `submit` names the
    button clicked ("_save" is "Sichern").
    """
    controls = rendered_form(response)
    data = submission(controls)
    buttons = {control.name: control.attrs.get("value") or "" for control in controls}
    assert submit in buttons, f"no button {submit!r} on the page"
    data[submit] = buttons[submit]
    data.update({key: "" if value is None else value for key, value in changes.items()})
    return data


def add_inline_row(data: dict, response, prefix: str, **values) -> int:
    """Adds a row to the inline `prefix` as the admin's "hinzufügen" link does: a copy
    of the page's empty row, numbered next, with `values` typed in. Returns its index."""
    row = int(data[f"{prefix}-TOTAL_FORMS"])
    template = f"{prefix}-__prefix__-"
    for control in rendered_form(response):
        if control.name.startswith(template):
            name = f"{prefix}-{row}-{control.name.removeprefix(template)}"
            submitted = control.submitted()
            if submitted:
                data[name] = submitted[0] if len(submitted) == 1 else submitted
    data.update({f"{prefix}-{row}-{field}": str(value) for field, value in values.items()})
    data[f"{prefix}-TOTAL_FORMS"] = str(row + 1)
    return row


def film_add_data(client, **typed) -> dict:
    """The film add page, opened by `client`, as `film_form_data` fills it."""
    return film_form_data(client.get(reverse("admin:films_film_add")), **typed)
