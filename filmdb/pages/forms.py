"""The forms of the people search and the Bestenliste (the film search's are filters.py's)."""

from django import forms

from filmdb.pages.filters import MAX_TEXT, SearchRole, SearchTextField
from films.models import FIRST_FILM_YEAR, LAST_FILM_YEAR, Genre


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


class BestListForm(forms.Form):
    """The Bestenliste's filters: `?genre=drama&jahrzehnt=1990`. The genres to choose
    from are given, as the page lists them anyway: the genre by its slug, or None."""

    genre = forms.ChoiceField(
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

    def __init__(self, data, *, genres: list[Genre]) -> None:
        super().__init__(data)
        self.genres = {genre.slug: genre for genre in genres}
        self.fields["genre"].choices = [("", "Alle Genres")] + [
            (genre.slug, genre.name) for genre in genres
        ]

    def clean_genre(self) -> Genre | None:
        return self.genres.get(self.cleaned_data["genre"])

    def clean_jahrzehnt(self) -> int | None:
        decade = self.cleaned_data["jahrzehnt"]
        if decade is not None and decade % 10:
            raise forms.ValidationError("Ein Jahrzehnt beginnt mit einem Jahr auf 0, etwa 1990.")
        return decade
