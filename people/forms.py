from django import forms

from films.filters import MAX_TEXT, SearchRole


class PersonSearchForm(forms.Form):
    q = forms.CharField(label="Name", max_length=MAX_TEXT, required=False)
    rolle = forms.ChoiceField(
        label="Rolle",
        required=False,
        choices=[("", "alle"), *SearchRole.choices],
    )
