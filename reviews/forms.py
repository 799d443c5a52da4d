from django import forms

from films.models import FIRST_FILM_YEAR, LAST_FILM_YEAR, Genre


class BestListForm(forms.Form):
    """The Bestenliste's filters: `?genre=drama&jahrzehnt=1990`."""

    genre = forms.ModelChoiceField(
        Genre.objects.all(),
        to_field_name="slug",
        required=False,
        error_messages={"invalid_choice": "Dieses Genre kennen wir nicht."},
    )
    jahrzehnt = forms.IntegerField(
        required=False,
        min_value=FIRST_FILM_YEAR,
        max_value=LAST_FILM_YEAR,
        error_messages={
            "invalid": "Gib ein Jahrzehnt als Jahreszahl an, etwa 1990.",
            "min_value": f"Ein Jahrzehnt ab {FIRST_FILM_YEAR}, bitte.",
            "max_value": f"Ein Jahrzehnt bis {LAST_FILM_YEAR}, bitte.",
        },
    )

    def clean_jahrzehnt(self) -> int | None:
        decade = self.cleaned_data["jahrzehnt"]
        if decade is not None and decade % 10:
            raise forms.ValidationError("Ein Jahrzehnt beginnt mit einem Jahr auf 0, etwa 1990.")
        return decade
