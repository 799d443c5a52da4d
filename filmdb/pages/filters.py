"""The visitors' film search: German query parameters, every condition on the same film."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from django.forms.renderers import Jinja2
from django.http import QueryDict
from django.utils.functional import cached_property

from filmdb.lib.filtersets import LightFilterSet
from filmdb.lib.folding import query_words
from filmdb.lib.pagination import RankedRows
from filmdb.pages import search
from filmdb.pages.cards import film_cards
from filmdb.pages.search import PeopleFound
from films.models import FIRST_FILM_YEAR, LAST_FILM_YEAR, Film, Genre
from people.models import Credit

MAX_NAMES = 5
MAX_TEXT = 200


class SearchRole(models.TextChoices):
    """The roles visitors search people by, as their German query parameter (`regie=…`,
    and `rolle=regie` for the name suggestions)."""

    REGIE = "regie", "Regie"
    DARSTELLER = "darsteller", "Darsteller"


# The credits' role each search role finds.
CREDIT_ROLES = {SearchRole.REGIE: Credit.Role.DIRECTOR, SearchRole.DARSTELLER: Credit.Role.CAST}


class TextListInput(forms.TextInput):
    """A text input that may repeat: `?darsteller=Cotillard&darsteller=Schoenaerts`."""

    template_name = "widgets/text_list.html"

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, None, attrs)
        values = value if isinstance(value, list | tuple) else [value]
        context["widget"]["values"] = [v for v in values if v] or [""]
        return context


class Select(forms.Select):
    """A select whose options render in its own template, not one template each: the
    search form's three selects took a quarter of a list page's rendering."""

    template_name = "widgets/select.html"


class TextInput(forms.TextInput):
    """A text input rendered by one template (Django's includes two more)."""

    template_name = "widgets/input.html"


class SearchTextField(forms.CharField):
    """A title or name to search. Typed without a letter or digit (`%`, an emoji, spaces)
    it is refused: it has no words, and a search without words lists every film."""

    default_error_messages = {"no_words": "Bitte gib einen Titel oder Namen ein."}

    def to_python(self, value) -> str:
        text = super().to_python(value)
        if value and not query_words(text):
            raise ValidationError(self.error_messages["no_words"], code="no_words")
        return text


class TextListField(forms.Field):
    widget = TextListInput

    def to_python(self, value) -> list[str]:
        values = value if isinstance(value, list | tuple) else [value]
        names = [str(v).strip() for v in values if v]
        if len(names) > MAX_NAMES:
            raise ValidationError(f"Gib höchstens {MAX_NAMES} Namen je Feld an.")
        for name in names:
            ProhibitNullCharactersValidator()(name)
            if len(name) > MAX_TEXT:
                raise ValidationError(f"Ein Name darf höchstens {MAX_TEXT} Zeichen lang sein.")
            if not query_words(name):
                raise ValidationError("Bitte gib einen Namen ein.", code="no_words")
        return names


class PeopleFilter(django_filters.Filter):
    field_class = TextListField


class SearchTextFilter(django_filters.CharFilter):
    field_class = SearchTextField


def year_filter(label: str, lookup: str) -> django_filters.NumberFilter:
    # A text input: a number input could not show back a wrong entry such as "abc".
    return django_filters.NumberFilter(
        label=label,
        field_name="year",
        lookup_expr=lookup,
        min_value=FIRST_FILM_YEAR,
        max_value=LAST_FILM_YEAR,
        widget=TextInput(attrs={"inputmode": "numeric", "size": 4}),
        error_messages={
            "invalid": "Gib das Jahr als Zahl an, etwa 2012.",
            "min_value": f"Gib ein Jahr ab {FIRST_FILM_YEAR} an.",
            "max_value": f"Gib ein Jahr bis {LAST_FILM_YEAR} an.",
        },
    )


class FilmSearchForm(forms.Form):
    # Its widgets render with Jinja2 (Django's templates in django/forms/jinja2/, ours in
    # filmdb/jinja2/widgets/), as the page around them does: 3.0 instead of 6.0 ms for the
    # search form, of a search page's 30.
    default_renderer = Jinja2()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("jahr_von"), cleaned.get("jahr_bis")
        if start is not None and end is not None and start > end:
            self.add_error("jahr_bis", "„Jahr bis“ darf nicht vor „Jahr von“ liegen.")
        return cleaned


class FilmFilter(LightFilterSet):
    class Sort(models.TextChoices):
        RELEVANCE = "relevanz", "Relevanz"
        NEWEST = "neueste", "Neueste zuerst"
        OLDEST = "aelteste", "Älteste zuerst"
        TITLE = "titel", "Titel (A–Z)"

    q = SearchTextFilter(
        label="Titel oder Name",
        method="filter_text",
        max_length=MAX_TEXT,
        widget=TextInput(
            attrs={"type": "search", "data-autocomplete": "alle", "data-autocomplete-submit": True}
        ),
    )
    regie = PeopleFilter(
        label="Regie",
        method="held_by_results",
        widget=TextListInput(attrs={"data-autocomplete": "regie", "aria-label": "Regie"}),
    )
    darsteller = PeopleFilter(
        label="Darsteller",
        method="held_by_results",
        widget=TextListInput(attrs={"data-autocomplete": "darsteller", "aria-label": "Darsteller"}),
    )
    jahr_von = year_filter("Jahr von", "gte")
    jahr_bis = year_filter("Jahr bis", "lte")
    genre = django_filters.ModelChoiceFilter(
        label="Genre",
        field_name="genres",
        to_field_name="slug",
        queryset=Genre.objects.all(),
        empty_label="Alle Genres",
        widget=Select,
        error_messages={"invalid_choice": "Dieses Genre kennen wir nicht."},
    )
    fsk = django_filters.ChoiceFilter(
        label="FSK",
        choices=[(str(value), f"ab {value}") for value, _ in Film.FSK.choices],
        empty_label="Alle",
        widget=Select,
        error_messages={
            "invalid_choice": "Die FSK gibt es "
            + ", ".join(f"ab {value}" for value in Film.FSK.values[:-1])
            + f" und ab {Film.FSK.values[-1]}."
        },
    )
    sortierung = django_filters.ChoiceFilter(
        label="Sortierung",
        choices=Sort.choices,
        method="held_by_results",
        empty_label=None,
        widget=Select,
        error_messages={
            "invalid_choice": "Sortieren kannst du nach "
            + ", ".join(f"„{label}“" for label in Sort.labels[:-1])
            + f" oder „{Sort.labels[-1]}“."
        },
    )

    class Meta:
        model = Film
        fields: list[str] = []
        form = FilmSearchForm

    def __init__(self, data=None, *args, **kwargs) -> None:
        if data is not None and not data.get("sortierung"):
            # The default order, set in the data so that the form shows it as chosen and
            # the page links keep it: best matches for a search by title or name, newest
            # first else.
            data = data.copy()
            searched = any(data.get(field) for field in ["q", *SearchRole.values])
            data["sortierung"] = self.Sort.RELEVANCE if searched else self.Sort.NEWEST
        super().__init__(data, *args, **kwargs)

    # The filters a phone folds behind "Filter": all but the text and the order.
    FOLDED_OUT = {"q", "sortierung"}

    def filters_in_use(self) -> int:
        """How many of the folded filters have a value (two names in one field count once)."""
        data = self.data or QueryDict()
        folded = [name for name in self.form.fields if name not in self.FOLDED_OUT]
        return sum(1 for name in folded if any(data.getlist(name)))

    @cached_property
    def people_found(self) -> PeopleFound:
        """The people each searched name finds, for every name at once (one query)."""
        data = self.form.cleaned_data
        names = [data.get("q") or "", *(name for _, name in self.searched_people())]
        return PeopleFound(names)

    def filter_text(self, queryset, name, value):
        return search.search(queryset, value, self.people_found)

    def held_by_results(self, queryset, name, value):
        """`regie`, `darsteller` and `sortierung`: `results` applies them, together."""
        return queryset

    def searched_people(self) -> list[tuple[str, str]]:
        """(credit role, name) of each name searched by `regie` and `darsteller`."""
        data = self.form.cleaned_data
        return [
            (CREDIT_ROLES[role], person)
            for role in SearchRole
            for person in data.get(role) or []
            if query_words(person)
        ]

    def results(self, limit: int) -> RankedRows:
        """The films found, in the order chosen, as their ids (at most `limit`); a page
        reads its films' cards by id (`film_cards`).

        The filters find the films by text, year, genre and FSK; the people searched
        and the order are applied here. A search by people alone, in relevance order,
        is ranked from their credits, which also hold its people conditions. Otherwise
        each name is a condition, and the films are ordered as chosen.

        One query finds and orders the ids, which also counts them up to the cap; the
        page's films are then read by primary key. A count and a page query each
        searched the words' index (14 ms each for two common words), and a page deep in
        the list read every row before it (OFFSET) instead of index entries.
        """
        if not self.is_valid():
            return RankedRows([], film_cards)
        data, found = self.form.cleaned_data, self.people_found
        query, people = data.get("q") or "", self.searched_people()
        relevance = data.get("sortierung") == self.Sort.RELEVANCE
        if relevance and people and not query_words(query):
            ids = search.with_people_best_billed(self.qs, people, limit, found)
            return RankedRows(ids, film_cards)
        films = self.qs
        for role, person in people:
            films = search.with_person(films, role, person, found)
        if relevance and (query or people):
            films = search.by_relevance(films, query, people, found)
        elif data.get("sortierung") == self.Sort.TITLE:
            films = films.by_title()
        elif data.get("sortierung") == self.Sort.OLDEST:
            films = films.oldest()
        else:
            films = films.newest()
        return RankedRows(list(films.values_list("pk", flat=True)[:limit]), film_cards)
