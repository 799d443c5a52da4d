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
