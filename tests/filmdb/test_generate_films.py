import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count

from filmdb.management.commands import generate_films
from films.models import Film, Genre
from people.models import Credit, Person
from reviews.models import Review
from tests.billing import misbilled


def generate(**options) -> dict:
    call_command("generate_films", stdout=None, **options)
    return {
        "films": list(Film.objects.order_by("pk").values_list("title", "year")),
        "people": list(Person.objects.order_by("pk").values_list("name", flat=True)),
        "credits": list(Credit.objects.order_by("pk").values_list("person__name", "role")),
        "kinostarts": list(Film.objects.order_by("pk").values_list("release_date", flat=True)),
        "genres": list(
            Film.genres.through.objects.order_by("pk").values_list("film__slug", "genre__name")
        ),
    }


def test_generator_makes_searchable_films_people_credits_and_reviews(db):
    generate(films=40, people=300, seed=5)
    assert (Film.objects.count(), Person.objects.count()) == (40, 300)
    per_film = Film.objects.annotate(n=Count("credits")).values_list("n", flat=True)
    assert min(per_film) >= 5 and max(per_film) <= 30
    assert Credit.objects.filter(role="director").count() == 40
    assert {"cast", "director"} <= set(Credit.objects.values_list("role", flat=True))
    assert Review.objects.count() == 4  # a tenth of the films
    person = Person.objects.order_by("pk").first()
    assert Person.objects.matching(person.name).filter(pk=person.pk).exists()
    assert any(set(p.name) & set("äöüéèçÀ") for p in Person.objects.all())
    counted = {
        "credited": Count("credits", distinct=True),
        "reviewed": Count("reviews", distinct=True),
    }
    assert misbilled() == []
    genre_counts = Film.objects.annotate(n=Count("genres")).values_list("n", flat=True)
    assert min(genre_counts) >= 1 and max(genre_counts) <= 3
    assert Genre.objects.filter(slug="komoedie").exists()
    dated = Film.objects.filter(release_date__isnull=False)
    assert 0 < dated.count() < 20
    for film in dated:
        assert (film.release_date.year, film.release_date.isoweekday()) == (film.year, 4)
    assert Credit.objects.filter(billing__gt=0).exists()
    for film in Film.objects.annotate(**counted):
        assert film.popularity == film.credited + 10 * film.reviewed
        assert film.title_key == film.title.lower().replace("ä", "ae").replace("ö", "oe").replace(
            "ü", "ue"
        ).replace("ß", "ss")


def test_generator_is_deterministic_by_seed(db):
    first = generate(films=10, people=60, seed=9)
    Credit.objects.all().delete()
    Review.objects.all().delete()
    Film.objects.all().delete()
    Person.objects.all().delete()
    assert generate(films=10, people=60, seed=9) == first


def test_generator_refuses_a_database_with_films(db, demo_film):
    with pytest.raises(CommandError, match="leere"):
        call_command("generate_films", films=1, people=30)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_generator_counts_ratings_with_the_planner_informed_of_its_tables(db, monkeypatch):
    """Counted with no statistics, the ratings' UPDATE read every review for every film
    (over 15 minutes at 700,000 films)."""
    rows_known_when_counting = {}
    count_ratings = generate_films.refresh_ratings

    def watched(queryset):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%s)",
                [["films_film", "reviews_review", "people_credit"]],
            )
            rows_known_when_counting.update(cursor.fetchall())
        return count_ratings(queryset)

    monkeypatch.setattr(generate_films, "refresh_ratings", watched)
    generate(films=20, people=60, seed=2)
    assert rows_known_when_counting == {
        "films_film": Film.objects.count(),
        "reviews_review": Review.objects.count(),
        "people_credit": Credit.objects.count(),
    }
