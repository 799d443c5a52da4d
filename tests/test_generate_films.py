import pytest
from django.core.management import CommandError, call_command

from films.models import Film
from people.models import Credit, Person


def test_generator_makes_searchable_films_people_and_credits(db):
    call_command("generate_films", films=20, people=50, credits=200, stdout=None)
    assert (Film.objects.count(), Person.objects.count(), Credit.objects.count()) == (20, 50, 200)
    assert Credit.objects.filter(role="director").count() == 20
    person = Person.objects.order_by("pk").first()
    assert Person.objects.matching(person.name).filter(pk=person.pk).exists()
    assert all(film.search_text for film in Film.objects.all())


def test_generator_refuses_a_database_with_films(db, demo_film):
    with pytest.raises(CommandError, match="leere"):
        call_command("generate_films", films=1, people=1, credits=1)
