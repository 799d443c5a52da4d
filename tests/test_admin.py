import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse

from films.models import AlternativeTitle, Film, Genre, Offer
from people.models import Credit, Person
from reviews.models import Review
from tests.admin_forms import add_inline_row, change_form_data, errors_of, film_add_data

CONTENT_APPS = {"films", "people", "reviews"}


def registered_content_models():
    return [model for model in admin.site._registry if model._meta.app_label in CONTENT_APPS]


def test_every_content_model_has_an_admin():
    names = {model.__name__ for model in registered_content_models()}
    # Offers are edited on their film; their own admin lists them by clicks.
    assert names == {"Film", "Genre", "Person", "Review", "Offer"}


def test_every_add_change_and_list_page_renders_for_an_editor(editor_client, demo_film):
    for model in registered_content_models():
        if model is Offer:
            continue
        opts = model._meta
        instance = model.objects.first()
        changelist = editor_client.get(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        )
        assert changelist.status_code == 200
        assert "zur Änderung auswählen" in changelist.content.decode()
        for url in [
            reverse(f"admin:{opts.app_label}_{opts.model_name}_add"),
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[instance.pk]),
        ]:
            response = editor_client.get(url)
            assert response.status_code == 200, url
            assert (
                "Sichern" in response.content.decode() or "Speichern" in response.content.decode()
            )


def test_film_change_page_is_german_with_inlines_and_a_link_to_the_public_page(
    editor_client, demo_film, make_person
):
    make_person("Niemand Dabei")
    response = editor_client.get(reverse("admin:films_film_change", args=[demo_film.pk]))
    page = response.content.decode()
    for heading in ["Daten", "Texte", "Plakat", "Besetzung und Crew", "Alternative Titel"]:
        assert heading in page
    assert "Angebote (Affiliate-Links)" in page
    assert "Auf der Seite ansehen" in page
    # Cast and crew are chosen by autocomplete, never from a select of every person.
    assert 'data-ajax--url="/admin/autocomplete/"' in page
    assert "Niemand Dabei" not in page
    view_on_site = editor_client.get(
        reverse("admin:view_on_site", args=[response.context["content_type_id"], demo_film.pk])
    )
    assert view_on_site.status_code == 302
    assert view_on_site.url.endswith("/filme/der-geschmack-von-rost-und-knochen-2012/")


def test_editor_adds_a_film_with_credits_offer_and_alternative_title(editor_client, make_person):
    director = make_person("Jacques Audiard")
    actor = make_person("Tahar Rahim")
    data = film_add_data(
        editor_client,
        credits=[
            {"role": "director", "person": director.pk, "character": "", "order": 0},
            {"role": "cast", "person": actor.pk, "character": "Malik El Djebena", "order": 1},
        ],
        offers=[
            {
                "provider": "Videothek",
                "kind": "buy",
                "url": "https://example.com/prophet",
                "price": "9.99",
                "position": 0,
            }
        ],
        alternative_titles=[{"title": "A Prophet", "region": "US", "kind": "imdbDisplay"}],
    )
    response = editor_client.post(reverse("admin:films_film_add"), data)
    assert response.status_code == 302, errors_of(response)

    film = Film.objects.get(slug="ein-prophet-2009")
    assert film.status == Film.Status.DRAFT
    assert list(film.credits.values_list("person__name", "role", "character")) == [
        ("Jacques Audiard", "director", ""),
        ("Tahar Rahim", "cast", "Malik El Djebena"),
    ]
    assert film.offers.get().url == "https://example.com/prophet"
    assert film.alternative_titles.get().title == "A Prophet"
    assert film.imdb_id is None  # blank is stored as NULL, so "unique when set" holds


def test_a_bad_offer_url_refuses_the_whole_film_and_saves_nothing(editor_client, make_person):
    director = make_person("Jacques Audiard")
    data = film_add_data(
        editor_client,
        credits=[{"role": "director", "person": director.pk, "character": "", "order": 0}],
        offers=[
            {
                "provider": "Böse",
                "kind": "buy",
                "url": "javascript:alert(1)",
                "price": "",
                "position": 0,
            }
        ],
    )
    response = editor_client.post(reverse("admin:films_film_add"), data)
    assert response.status_code == 200
    assert "gültige Adresse" in errors_of(response)
    assert not Film.objects.exists()
    assert not Credit.objects.exists()
    assert not Offer.objects.exists()


def test_invisible_control_characters_are_refused_with_a_german_message(editor_client):
    # Pasted escape characters and noncharacters would make every page showing them
    # invalid HTML; NUL cannot even be stored in PostgreSQL.
    data = film_add_data(
        editor_client, title="Ein\x1bProphet", synopsis="Kurz\ufffe", plot="Tab\tund\r\nZeile"
    )
    response = editor_client.post(reverse("admin:films_film_add"), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["title"] == [
        "Der Text enthält das unsichtbare Zeichen U+001B; entfernen Sie es bitte."
    ]
    assert errors["synopsis"] == [
        "Der Text enthält das unsichtbare Zeichen U+FFFE; entfernen Sie es bitte."
    ]
    assert "plot" not in errors
    assert not Film.objects.exists()
    with pytest.raises(ValidationError, match=r"U\+0085"):
        Person(name="Jacques\x85Audiard", slug="jacques-audiard").full_clean()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/films/film/?status=a%00b",
        "/admin/reviews/review/?status__exact=%00",
        "/admin/people/person/?name=%00",
        "/admin/autocomplete/?term=%00&app_label=films&model_name=film&field_name=genres",
    ],
)
def test_a_nul_byte_in_an_admin_query_string_is_a_bad_request(editor_client, url):
    # Filters, lookups and the autocomplete's term reach the database unchecked, and
    # PostgreSQL refuses NUL in text: that was a 500.
    response = editor_client.get(url)
    assert response.status_code == 400
    assert response.content.decode() == "Die Adresse enthält ein Nullzeichen (%00)."


def test_a_film_with_300_credits_can_be_saved_and_edited(editor_client):
    people = Person.objects.bulk_create(
        Person(
            name=f"Darsteller {number}",
            slug=f"darsteller-{number}",
            search_text=f"darsteller {number}",
        )
        for number in range(300)
    )
    credits = [
        {"role": "cast", "person": person.pk, "character": f"Figur {number}", "order": number}
        for number, person in enumerate(people)
    ]
    response = editor_client.post(
        reverse("admin:films_film_add"), film_add_data(editor_client, credits=credits)
    )
    assert response.status_code == 302, errors_of(response)
    film = Film.objects.get()
    assert film.credits.count() == 300

    response = editor_client.get(reverse("admin:films_film_change", args=[film.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('name="credits-') > 300 * 4


def test_dub_voice_is_linked_to_the_cast_credit_it_voices(editor_client, make_film, make_person):
    film = make_film("Ziemlich beste Freunde", 2011, slug="ziemlich-beste-freunde-2011")
    actor = make_person("Omar Sy")
    voice = make_person("Tobias Kluckert")
    cast = Credit.objects.create(film=film, person=actor, role="cast", character="Driss")
    other_film = make_film("Lupin", 2021, slug="lupin-2021")
    foreign_cast = Credit.objects.create(
        film=other_film, person=actor, role="cast", character="Assane"
    )
    url = reverse("admin:films_film_change", args=[film.pk])
    page = editor_client.get(url)

    def with_dub_voice(voiced: Credit) -> dict:
        data = change_form_data(page)
        add_inline_row(
            data,
            page,
            "credits",
            role="dubbing",
            person=voice.pk,
            character="Driss",
            voices=voiced.pk,
            order=1,
        )
        return data

    # Another film's cast credit is not among the choices: only a forged form sends it.
    refused = editor_client.post(url, with_dub_voice(foreign_cast))
    assert refused.status_code == 200
    assert "gültige" in errors_of(refused)
    assert not Credit.objects.filter(role="dubbing").exists()

    saved = editor_client.post(url, with_dub_voice(cast))
    assert saved.status_code == 302, errors_of(saved)
    assert cast.dub_voices.get().person == voice


def test_a_dub_voice_must_voice_someone(editor_client, make_person):
    voice = make_person("Tobias Kluckert")
    data = film_add_data(
        editor_client,
        credits=[
            {"role": "dubbing", "person": voice.pk, "character": "Driss", "voices": "", "order": 0}
        ],
    )
    response = editor_client.post(reverse("admin:films_film_add"), data)
    assert response.status_code == 200
    assert "Synchronsprecher spricht genau einen Darsteller" in errors_of(response)
    assert not Film.objects.exists()


def test_person_page_lists_credits_with_film_autocomplete(editor_client, demo_film):
    audiard = Person.objects.get(name="Jacques Audiard")
    response = editor_client.get(reverse("admin:people_person_change", args=[audiard.pk]))
    page = response.content.decode()
    assert "Filmografie" in page
    assert 'data-field-name="film"' in page
    assert page.count("Der Geschmack von Rost und Knochen (2012)") >= 2  # director and writer


def test_person_search_ignores_accents_case_and_word_order(editor_client, demo_film):
    url = reverse("admin:people_person_changelist")
    for query in ["celine sallette", "SALLETTE Céline", "Sallet"]:
        response = editor_client.get(url, {"q": query})
        names = [person.name for person in response.context["cl"].result_list]
        assert names == ["Céline Sallette"], query


def test_person_search_finds_an_exact_imdb_id(editor_client, demo_film):
    Person.objects.filter(name="Céline Sallette").update(imdb_id="nm1141429")
    url = reverse("admin:people_person_changelist")
    response = editor_client.get(url, {"q": " nm1141429 "})
    assert [person.name for person in response.context["cl"].result_list] == ["Céline Sallette"]
    # A film's id is no person's id: it is searched as a name and finds no one.
    response = editor_client.get(url, {"q": "tt2053425"})
    assert list(response.context["cl"].result_list) == []


def test_film_search_finds_original_title_and_imdb_id(editor_client, demo_film):
    url = reverse("admin:films_film_changelist")
    for query in ["rouille", "tt2053425", "geschmack knochen"]:
        response = editor_client.get(url, {"q": query})
        assert list(response.context["cl"].result_list) == [demo_film], query
    response = editor_client.get(url, {"q": "prophet"})
    assert list(response.context["cl"].result_list) == []


def test_film_list_filters_by_decade_status_fsk_and_genre(editor_client, demo_film, make_film):
    make_film("Alt", 1975)
    url = reverse("admin:films_film_changelist")
    by_decade = editor_client.get(url, {"jahrzehnt": "2010"}).context["cl"].result_list
    assert list(by_decade) == [demo_film]
    assert editor_client.get(url, {"jahrzehnt": "abc"}).status_code == 200
    decade = editor_client.get(url, {"jahrzehnt": "2010"}).content.decode()
    assert "?jahr=2012&amp;jahrzehnt=2010" in decade  # the decade's years to pick from
    assert list(
        editor_client.get(url, {"jahrzehnt": "2010", "jahr": "2012"}).context["cl"].result_list
    ) == [demo_film]
    assert (
        list(
            editor_client.get(url, {"jahrzehnt": "2010", "jahr": "2013"}).context["cl"].result_list
        )
        == []
    )
    assert (
        list(editor_client.get(url, {"status__exact": "draft"}).context["cl"].result_list)[0].title
        == "Alt"
    )
    assert list(editor_client.get(url, {"fsk__exact": "12"}).context["cl"].result_list) == [
        demo_film
    ]
    genre = demo_film.genres.get()
    assert list(
        editor_client.get(url, {"genres__id__exact": genre.pk}).context["cl"].result_list
    ) == [demo_film]


def whole_table_counts(queries, table: str) -> list[str]:
    """The captured queries that count every row of `table` (no WHERE)."""
    return [
        query["sql"]
        for query in queries
        if "COUNT(" in query["sql"].upper()
        and f'FROM "{table}"' in query["sql"]
        and " WHERE " not in query["sql"].upper()
    ]


@pytest.mark.parametrize("table", ["films_film", "people_person", "reviews_review"])
def test_a_searched_changelist_never_counts_the_whole_table(
    editor_client, demo_film, table, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20) as captured:
        response = editor_client.get(reverse(f"admin:{table}_changelist"), {"q": "rost"})
    assert response.status_code == 200
    assert whole_table_counts(captured.captured_queries, table) == []
    # The search itself is counted: "1 Ergebnis" for the demo film or its person or review.
    assert any(f'FROM "{table}"' in q["sql"] for q in captured.captured_queries)


CONTENT_MODELS = [Film, Person, Review, AlternativeTitle, Offer, Credit, Genre]
# Words German shares with English: a field or model so named reads German already.
SAME_IN_GERMAN = {"film", "person", "name", "slug", "status", "region", "genres", "fsk", "position"}


@pytest.mark.parametrize(
    ("model", "plural"),
    [
        (Film, "Filme"),
        (Person, "Personen"),
        (Review, "Kritiken"),
        (AlternativeTitle, "Alternative Titel"),
        (Offer, "Angebote (Affiliate-Links)"),
        (Credit, "Besetzung und Crew"),
    ],
)
def test_every_model_reads_in_german(model, plural):
    assert model._meta.verbose_name_plural == plural


@pytest.mark.parametrize("model", CONTENT_MODELS)
def test_every_field_an_editor_sees_has_a_german_label(model):
    """No label is Django's default, the English attribute name ("release date")."""
    english = [
        field.name
        for field in model._meta.get_fields()
        if getattr(field, "editable", False)
        and not field.auto_created
        and str(field.verbose_name).lower() == field.name.replace("_", " ")
        and field.name not in SAME_IN_GERMAN
    ]
    assert english == []


def test_a_film_page_in_the_admin_reads_its_credits_people_without_a_query_per_row(
    editor_client, demo_film, make_person, django_assert_max_num_queries
):
    url = reverse("admin:films_film_change", args=[demo_film.pk])
    with django_assert_max_num_queries(100) as before:
        editor_client.get(url)
    for number in range(40):
        person = make_person(f"Statistin Nummer {number}")
        Credit.objects.create(film=demo_film, person=person, role=Credit.Role.CAST, order=number)
    with django_assert_max_num_queries(100) as after:
        page = editor_client.get(url).content.decode()
    assert len(after) - len(before) <= 2, "a query per credit row"
    assert f'<option value="{person.pk}" selected>Statistin Nummer 39</option>' in page


def test_a_person_page_in_the_admin_reads_their_films_without_a_query_per_row(
    editor_client, demo_film, make_film, django_assert_max_num_queries
):
    audiard = Person.objects.get(name="Jacques Audiard")
    url = reverse("admin:people_person_change", args=[audiard.pk])
    with django_assert_max_num_queries(100) as before:
        editor_client.get(url)
    for number in range(20):
        film = make_film(f"Frühwerk {number}", year=1990 + number)
        Credit.objects.create(film=film, person=audiard, role=Credit.Role.DIRECTOR)
    with django_assert_max_num_queries(100) as after:
        page = editor_client.get(url).content.decode()
    assert len(after) - len(before) <= 2, "a query per credit row"
    assert f'<option value="{film.pk}" selected>Frühwerk 19 (2009)</option>' in page
