"""POST data for the admin's change forms, as a browser would send it."""

INLINE_PREFIXES = {
    "offers": "offers",
    "alternative_titles": "alternative_titles",
    "credits": "credits",
}


def management_form(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for field, value in row.items():
            data[f"{prefix}-{index}-{field}"] = "" if value is None else str(value)
    return data


def film_form_data(
    *,
    credits: list[dict] = (),
    offers: list[dict] = (),
    alternative_titles: list[dict] = (),
    initial_credits: int = 0,
    **fields,
) -> dict:
    data = {
        "title": "Ein Prophet",
        "original_title": "Un prophète",
        "slug": "ein-prophet-2009",
        "status": "draft",
        "year": "2009",
        "release_date": "",
        "runtime": "155",
        "fsk": "16",
        "countries": "Frankreich",
        "distributor": "",
        "imdb_id": "",
        "synopsis": "",
        "plot": "",
        "background": "",
    }
    data.update({key: "" if value is None else str(value) for key, value in fields.items()})
    data.update(management_form("offers", list(offers)))
    data.update(management_form("alternative_titles", list(alternative_titles)))
    data.update(management_form("credits", list(credits), initial=initial_credits))
    return data


def errors_of(response) -> str:
    """The text of every error the admin shows on a re-rendered form."""
    context = response.context
    messages = [str(e) for e in context["adminform"].form.errors.values()]
    for formset in context["inline_admin_formsets"]:
        messages += [str(e) for e in formset.formset.errors]
        messages += [str(e) for e in formset.formset.non_form_errors()]
    return " ".join(messages)


def form_fields(form) -> dict:
    """What a browser posts for an unbound admin form as it was rendered."""
    data = {}
    for field in form:
        value = field.value()
        if getattr(field.field.widget, "input_type", None) == "file":
            continue  # a browser sends no file unless one is picked
        if isinstance(value, bool):
            if value:
                data[field.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[field.html_name] = [str(item) for item in value]
        else:
            data[field.html_name] = "" if value is None else str(value)
    return data


def change_form_data(response, **changes) -> dict:
    """The POST of an admin change page as the editor saw it, with `changes` made.

    Covers the main form, every inline form and the management forms, so that saving it
    unchanged changes nothing.
    """
    data = form_fields(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(form_fields(formset.management_form))
        for form in formset.forms:
            data.update(form_fields(form))
    data.update({key: "" if value is None else value for key, value in changes.items()})
    return data
