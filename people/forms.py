from django import forms

from films.filters import MAX_TEXT, SearchRole, SearchTextField


class PersonSearchForm(forms.Form):
    q = forms.CharField(label="Name", max_length=MAX_TEXT, required=False)
    rolle = forms.ChoiceField(
        label="Rolle",
        required=False,
        choices=[("", "alle"), *SearchRole.choices],
    )
    # "personen": people only, as the people search's field asks (no films).
    nur = forms.ChoiceField(
        label="Nur", required=False, choices=[("", ""), ("personen", "Personen")]
    )


class PersonListForm(forms.Form):
    """The people search page's: a name, refused without a letter or digit (the
    suggestions' form takes any text as it is typed, and suggests nothing for it)."""

    q = SearchTextField(
        label="Name",
        max_length=MAX_TEXT,
        required=False,
        error_messages={"no_words": "Bitte gib einen Namen ein."},
    )
