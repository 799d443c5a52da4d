from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from filmdb.lib.admin import LoadedAutocompleteInlineMixin, SluggedContentAdmin, show_loaded
from filmdb.lib.image_admin import ImageCreditAdminMixin
from films.models import Film
from people.models import Credit, Person, PersonRedirect


class FilmCreditForm(forms.ModelForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        show_loaded(self, "person")
        if self.instance.pk and self.instance.role != Credit.Role.DUBBING:
            # Only dub voices voice someone: rendering the film's whole cast into every
            # other row makes a 300-credit page quadratic (90,000 options).
            self.fields["voices"].widget.choices = [("", "---------")]


class FilmCreditInline(LoadedAutocompleteInlineMixin, admin.TabularInline):
    """Cast and crew on the film's change page; dub voices pick the cast credit they voice."""

    model = Credit
    form = FilmCreditForm
    fk_name = "film"
    fields = ["role", "person", "character", "voices", "order"]
    autocomplete_fields = ["person"]
    extra = 1
    verbose_name = "Mitwirkende"
    verbose_name_plural = "Besetzung und Crew"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("person")

    def get_formset(self, request: HttpRequest, obj: Film | None = None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        voices = formset.form.base_fields["voices"]
        cast = (
            Credit.objects.filter(film=obj, role=Credit.Role.CAST) if obj else Credit.objects.none()
        )
        voices.queryset = cast
        # Evaluated once for the whole formset instead of once per row.
        voices.choices = [("", "---------")] + [
            (credit.pk, str(credit)) for credit in cast.select_related("person")
        ]
        return formset


class PersonCreditForm(forms.ModelForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        show_loaded(self, "film")


class PersonCreditInline(LoadedAutocompleteInlineMixin, admin.TabularInline):
    """A person's credits on their change page. Dub voices are kept on the film's page,
    where the voiced cast credit can be chosen."""

    model = Credit
    form = PersonCreditForm
    fk_name = "person"
    fields = ["film", "role", "character", "order"]
    autocomplete_fields = ["film"]
    extra = 1
    verbose_name = "Mitwirkung"
    verbose_name_plural = "Filmografie"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .exclude(role=Credit.Role.DUBBING)
            .select_related("film", "person")  # each row is titled with both
            .order_by("-film__year", "film__title")
        )

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role":
            # The blank choice first, as Django gives a select of choices: a browser submits
            # a select's first option, and the empty extra row must arrive unchanged.
            kwargs["choices"] = [
                (value, label)
                for value, label in db_field.get_choices(include_blank=True)
                if value != Credit.Role.DUBBING
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


@admin.register(Person)
class PersonAdmin(ImageCreditAdminMixin, SluggedContentAdmin):
    imdb_prefix = "nm"
    redirect_model = PersonRedirect
    image_field = "photo"
    name_field = "name"
    list_display = ["image_thumbnail", "name", "birth_year", "death_year", "imdb_id", "updated_at"]
    # The name opens the person, as the title opens a film: Django would link only the
    # first column, a thumbnail that most people (without a photo) show as "–".
    list_display_links = ["name"]
    # Searched through the folded `search_text` (SluggedContentAdmin.get_search_results);
    # autocomplete fields pointing at people need search_fields to be set.
    search_fields = ["search_text"]
    search_help_text = (
        "Name (auch ohne Akzente, Wörter in beliebiger Reihenfolge) oder eine IMDb-ID"
    )
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["image_preview", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "imdb_id"]}),
        (
            "Lebensdaten",
            {
                "fields": [
                    ("birth_date", "birth_place"),
                    ("death_date", "death_place"),
                    ("birth_year", "death_year"),
                ],
                "description": (
                    "Ist nur das Jahr bekannt, tragen Sie es unter Geburtsjahr bzw. Sterbejahr ein."
                ),
            },
        ),
        (
            "Biografie",
            {"fields": ["bio", "photo", "image_preview", "photo_credit", "photo_credit_note"]},
        ),
        ("Verwaltung", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    inlines = [PersonCreditInline]
    lock_relations = ["credits"]
    lock_touches = {"credits": "film"}

    def get_deleted_objects(self, objs, request: HttpRequest):
        """A person with credits is not deleted: the confirmation page names their films."""
        to_delete, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        credits = (
            Credit.objects.filter(person__in=objs)
            .select_related("film", "person")
            .order_by("person__name", "film__title", "role")
        )
        if protected:
            protected = [
                f"{credit.person}: „{credit.film}“ – {credit.get_role_display()}"
                for credit in credits
            ]
        return to_delete, counts, perms_needed, protected
