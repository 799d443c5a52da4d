import pytest
from django.db import connection

from filmdb.lib.folding import fold_for_search, folded_condition, german_slugify
from films.models import AlternativeTitle, Film
from people.models import Person


@pytest.mark.parametrize("query", ["Jürgen", "jurgen", "JUERGEN", "jür", "Prochnow Jürgen"])
def test_umlauts_match_in_every_spelling(make_person, query):
    jurgen = make_person("Jürgen Prochnow")
    make_person("Jutta Hoffmann")
    assert list(Person.objects.matching(query)) == [jurgen]


def test_a_name_stored_with_ue_is_found_by_its_umlaut(make_person):
    mueller = make_person("Armin Mueller-Stahl")
    assert list(Person.objects.matching("Müller")) == [mueller]


@pytest.mark.parametrize(
    "query", ["celine sallette", "Céline", "SALLETTE", "sallette celine", "Sall"]
)
def test_accents_case_and_word_order_do_not_matter(make_person, query):
    celine = make_person("Céline Sallette")
    make_person("Marion Cotillard")
    assert list(Person.objects.matching(query)) == [celine]


def test_sharp_s_matches_ss(make_film):
    film = make_film("Die Straße", 1954, slug="die-strasse-1954")
    assert list(Film.objects.matching("strasse")) == [film]
    assert list(Film.objects.matching("Straße")) == [film]


def test_search_text_follows_every_rename(make_person, make_film):
    person = make_person("Marion Cotillard")
    person.name = "Marion Cotillard-Canet"
    person.save()
    assert list(Person.objects.matching("canet")) == [person]

    film = make_film("Arbeitstitel", 2012, slug="arbeitstitel-2012")
    film.title, film.original_title = "Der Geschmack von Rost und Knochen", "De rouille et d'os"
    film.save()
    assert list(Film.objects.matching("rouille")) == [film]
    assert not Film.objects.matching("arbeitstitel").exists()

    aka = AlternativeTitle.objects.create(film=film, title="Rust and Bone", region="US")
    assert list(AlternativeTitle.objects.filter(search_text__contains="rust")) == [aka]


def test_search_words_that_are_only_punctuation_match_everything_not_nothing(make_person):
    person = make_person("Jean-Michel Correia")
    assert list(Person.objects.matching("jean-michel")) == [person]
    assert list(Person.objects.matching("%_")) == [person]


def test_folding_and_slugs():
    assert fold_for_search("Jürgen", "Céline") == "jurgen juergen celine"
    assert german_slugify("Über die Straße 1954") == "ueber-die-strasse-1954"


def test_slugs_are_made_from_title_and_year_when_left_empty(make_film, make_person):
    assert make_film("Der Geschmack von Rost und Knochen", 2012).slug == (
        "der-geschmack-von-rost-und-knochen-2012"
    )
    assert make_person("Céline Sallette").slug == "celine-sallette"


@pytest.mark.postgresql
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.parametrize(
    ("queryset", "index"),
    [
        (lambda: Person.objects.matching("cotillard"), "people_person_search_words_idx"),
        (lambda: Film.objects.matching("rouille"), "films_film_search_words_idx"),
        (
            lambda: AlternativeTitle.objects.filter(folded_condition("pate")),
            "films_alternativetitle_search_words_idx",
        ),
    ],
)
def test_folded_search_uses_the_word_index_on_postgresql(db, queryset, index):
    with connection.cursor() as cursor:
        # A test table is tiny: forbid the plain scans the planner would prefer to using
        # any index, so that only an index that serves the words' beginnings is left.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = queryset().explain()
    assert index in plan, plan
