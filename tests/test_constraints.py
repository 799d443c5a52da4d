"""Each invariant is refused with a German message in forms and by the database itself."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from films.models import AlternativeTitle, Film, Genre, Offer
from people.models import Credit, Person
from reviews.models import Review
from tests.admin_forms import change_form_data, errors_of, film_add_data


def messages_of(instance) -> str:
    with pytest.raises(ValidationError) as refused:
        instance.full_clean()
    return " ".join(
        str(message) for messages in refused.value.message_dict.values() for message in messages
    )


def assert_database_refuses(queryset, **values) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        queryset.update(**values)


def test_film_slug_is_unique(editor_client, make_film):
    make_film("Ein Prophet", 2009, slug="ein-prophet-2009")
    response = editor_client.post(
        reverse("admin:films_film_add"), film_add_data(editor_client, slug="ein-prophet-2009")
    )
    assert "Film mit diesem Wert für das Feld Slug existiert bereits." in errors_of(response)
    assert Film.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Film.objects.create(title="Anders", slug="ein-prophet-2009")


def test_film_imdb_id_is_unique_when_set_and_may_be_missing_on_many(editor_client, make_film):
    make_film("A", slug="a", imdb_id="tt1235166")
    make_film("B", slug="b")
    make_film("C", slug="c")  # several films without an IMDb id are fine
    response = editor_client.post(
        reverse("admin:films_film_add"), film_add_data(editor_client, imdb_id="tt1235166")
    )
    assert "Film mit diesem Wert für das Feld IMDb-ID existiert bereits." in errors_of(response)
    with pytest.raises(IntegrityError), transaction.atomic():
        Film.objects.create(title="D", slug="d", imdb_id="tt1235166")


@pytest.mark.parametrize("bad_id", ["2053425", "nm0041952", "tt12", "tt2053425 ", "TT2053425"])
def test_film_imdb_id_must_look_like_one(make_film, bad_id):
    film = make_film("A", slug="a")
    film.imdb_id = bad_id
    assert "tt2053425" in messages_of(film)
    assert_database_refuses(Film.objects.filter(pk=film.pk), imdb_id=bad_id)


def test_a_film_with_a_malformed_imdb_id_is_refused_in_the_admin(editor_client):
    response = editor_client.post(
        reverse("admin:films_film_add"), film_add_data(editor_client, imdb_id="nm0041952")
    )
    assert "Eine IMDb-ID für Filme sieht so aus: tt2053425." in errors_of(response)
    assert not Film.objects.exists()


def test_a_person_with_a_malformed_imdb_id_is_refused_in_the_admin(editor_client):
    add_page = editor_client.get(reverse("admin:people_person_add"))
    data = change_form_data(
        add_page, name="Jacques Audiard", slug="jacques-audiard", imdb_id="tt2053425"
    )
    response = editor_client.post(reverse("admin:people_person_add"), data)
    assert "Eine IMDb-ID für Personen sieht so aus: nm0041952." in errors_of(response)
    assert not Person.objects.exists()
    response = editor_client.post(reverse("admin:people_person_add"), {**data, "imdb_id": ""})
    assert response.status_code == 302
    assert Person.objects.get().imdb_id is None  # blank is NULL: "unique when set" holds


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("year", 1869, "Dieser Wert muss größer oder gleich 1870 sein."),
        ("year", 2101, "Dieser Wert muss kleiner oder gleich 2100 sein."),
        ("runtime", 0, "Dieser Wert muss größer oder gleich 1 sein."),
        ("fsk", 99, "Wert 99 ist keine gültige Option."),
        ("status", "gelöscht", "Wert 'gelöscht' ist keine gültige Option."),
    ],
)
def test_film_facts_stay_in_range(make_film, field, value, message):
    film = make_film("A", slug="a")
    setattr(film, field, value)
    assert message in messages_of(film)  # the form names the problem ...
    assert_database_refuses(
        Film.objects.filter(pk=film.pk), **{field: value}
    )  # ... and so does the database


def test_film_title_and_slug_cannot_be_empty_in_the_database(make_film):
    film = make_film("A", slug="a")
    assert_database_refuses(Film.objects.filter(pk=film.pk), title="")
    assert_database_refuses(Film.objects.filter(pk=film.pk), slug="")


def test_genre_name_and_slug_are_unique(db):
    Genre.objects.create(name="Drama", slug="drama")
    assert "existiert bereits" in messages_of(Genre(name="Drama", slug="drama-2"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Genre.objects.create(name="Anderes", slug="drama")


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "data:text/html,hallo", "ftp://example.com/film", "//example.com"],
)
def test_offer_links_are_web_links_only(make_film, url):
    film = make_film("A", slug="a")
    offer = Offer(film=film, provider="Shop", kind=Offer.Kind.BUY, url=url)
    assert "http:// oder https://" in messages_of(offer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.create(film=film, provider="Shop", kind=Offer.Kind.BUY, url=url)


def test_offer_price_is_not_negative(make_film):
    film = make_film("A", slug="a")
    offer = Offer.objects.create(film=film, provider="Shop", kind="buy", url="https://example.com")
    offer.price = Decimal("-1")
    assert "größer oder gleich 0" in messages_of(offer)
    assert_database_refuses(Offer.objects.filter(pk=offer.pk), price=Decimal("-1"))
    assert_database_refuses(Offer.objects.filter(pk=offer.pk), kind="gratis")


def test_alternative_title_is_listed_once_per_region_and_kind(make_film):
    film = make_film("A", slug="a")
    AlternativeTitle.objects.create(film=film, title="Der Pate", region="DE", kind="imdbDisplay")
    duplicate = AlternativeTitle(film=film, title="Der Pate", region="DE", kind="imdbDisplay")
    assert "existiert bereits" in messages_of(duplicate)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    AlternativeTitle.objects.create(film=film, title="Der Pate", region="AT", kind="imdbDisplay")


def test_person_slug_and_imdb_id_are_unique(make_person):
    make_person("Marion Cotillard", imdb_id="nm0182839")
    twin = Person(name="Marion Cotillard", slug="marion-cotillard", imdb_id="nm0182839")
    message = messages_of(twin)
    assert "Person mit diesem Wert für das Feld Slug existiert bereits." in message
    assert "IMDb-ID" in message
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(name="Marion Cotillard")
    other = make_person("Marion Cotillard (2)", slug="marion-cotillard-2")
    other.imdb_id = "tt0182839"
    assert "nm0041952" in messages_of(other)
    assert_database_refuses(Person.objects.filter(pk=other.pk), imdb_id="tt0182839")


def test_a_person_does_not_die_before_being_born(make_person):
    person = make_person("Jemand", birth_year=1950)
    person.death_year = 1940
    assert "Sterbedatum liegt vor dem Geburtsdatum" in messages_of(person)
    assert_database_refuses(Person.objects.filter(pk=person.pk), death_year=1940)


def test_one_credit_per_film_person_role_and_character(make_film, make_person):
    film = make_film("A", slug="a")
    person = make_person("Jacques Audiard")
    Credit.objects.create(film=film, person=person, role="director")
    Credit.objects.create(film=film, person=person, role="writer")  # another role is fine
    duplicate = Credit(film=film, person=person, role="director")
    assert "schon mit dieser Funktion und Rolle eingetragen" in messages_of(duplicate)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_only_cast_and_dub_voices_have_a_character(make_film, make_person):
    film = make_film("A", slug="a")
    credit = Credit(
        film=film, person=make_person("Jacques Audiard"), role="director", character="Ali"
    )
    assert "Rolle haben nur Darsteller" in messages_of(credit)
    with pytest.raises(IntegrityError), transaction.atomic():
        credit.save()


def test_a_dub_voice_voices_a_cast_credit_of_the_same_film(make_film, make_person):
    film, other = make_film("A", slug="a"), make_film("B", slug="b")
    actor, voice = make_person("Omar Sy"), make_person("Tobias Kluckert")
    cast = Credit.objects.create(film=film, person=actor, role="cast", character="Driss")
    foreign = Credit.objects.create(film=other, person=actor, role="cast", character="Assane")
    director = Credit.objects.create(film=film, person=voice, role="director")

    assert "spricht einen Darsteller desselben Films" in messages_of(
        Credit(film=film, person=voice, role="dubbing", character="Driss", voices=foreign)
    )
    assert "spricht einen Darsteller desselben Films" in messages_of(
        Credit(film=film, person=voice, role="dubbing", character="Driss", voices=director)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Credit.objects.create(film=film, person=voice, role="dubbing", character="Driss")
    with pytest.raises(IntegrityError), transaction.atomic():
        Credit.objects.create(film=film, person=voice, role="writer", voices=cast)
    Credit(film=film, person=voice, role="dubbing", character="Driss", voices=cast).full_clean()


def test_a_person_with_credits_cannot_be_deleted_from_under_a_film(make_film, make_person):
    person = make_person("Jacques Audiard")
    Credit.objects.create(film=make_film("A", slug="a"), person=person, role="director")
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(pk=person.pk).delete()


def test_review_rating_is_one_to_five_stars(demo_film):
    review = Review.objects.get()
    review.rating = 6
    assert "Wert 6 ist keine gültige Option." in messages_of(review)
    assert_database_refuses(Review.objects.filter(pk=review.pk), rating=6)
    assert_database_refuses(Review.objects.filter(pk=review.pk), rating=0)


def test_a_published_review_has_a_date_and_text(demo_film):
    review = Review.objects.get()
    assert_database_refuses(Review.objects.filter(pk=review.pk), published_at=None)
    assert_database_refuses(Review.objects.filter(pk=review.pk), verdict="")


def test_a_review_is_a_draft_or_published_and_only_a_draft_may_lack_a_date(demo_film):
    review = Review.objects.get()
    review.status = "gelöscht"
    assert "Wert 'gelöscht' ist keine gültige Option." in messages_of(review)
    assert_database_refuses(Review.objects.filter(pk=review.pk), status="gelöscht")
    Review.objects.filter(pk=review.pk).update(status=Review.Status.DRAFT, published_at=None)
    assert_database_refuses(Review.objects.filter(pk=review.pk), status=Review.Status.PUBLISHED)


def test_a_films_stored_rating_average_belongs_to_its_count(make_film):
    film = make_film("A", slug="a")
    films = Film.objects.filter(pk=film.pk)
    assert_database_refuses(films, rating_average=4.0, rating_count=0)
    assert_database_refuses(films, rating_average=None, rating_count=2)
    assert_database_refuses(films, rating_average=5.5, rating_count=2)
    films.update(rating_average=4.5, rating_count=2)
