"""A credit's billing follows every change to its film's credits: a new credit ahead, a
new order, a deleted lead. The film cards and the search's ranking read it."""

from filmdb.pages.cards import film_cards
from films.models import Film
from people.models import Credit, Person
from tests.billing import misbilled


def cast(film: Film, *names: str) -> list[Credit]:
    return [
        Credit.objects.create(
            film=film, person=Person.objects.create(name=name), role="cast", order=10 + n
        )
        for n, name in enumerate(names)
    ]


def card_cast(film: Film) -> list[str]:
    [card] = film_cards([film.pk])
    return [person.name for person in card.card_cast]


def test_a_credit_added_ahead_of_the_cast_leads_it(db):
    film = Film.objects.create(title="Ein Film", year=2010, status="published")
    cast(film, "Anna Erste", "Bert Zweiter", "Cora Dritte")
    Credit.objects.create(
        film=film, person=Person.objects.create(name="Dora Neue"), role="cast", order=1
    )
    # A producer ahead of everyone does not count: billing is within the role.
    Credit.objects.create(
        film=film, person=Person.objects.create(name="Paul Produzent"), role="producer", order=0
    )
    assert card_cast(film) == ["Dora Neue", "Anna Erste", "Bert Zweiter"]
    assert misbilled() == []


def test_a_new_order_and_a_deleted_lead_rebill_the_rest(db):
    film = Film.objects.create(title="Ein Film", year=2010, status="published")
    first, second, third, fourth = cast(film, "Anna", "Bert", "Cora", "Dirk")
    fourth.order = 0
    fourth.save()
    assert card_cast(film) == ["Dirk", "Anna", "Bert"]
    first.delete()
    assert card_cast(film) == ["Dirk", "Bert", "Cora"]
    assert misbilled() == []


def test_equal_orders_are_billed_by_their_ids(db):
    film = Film.objects.create(title="Ein Film", year=2010, status="published")
    credits = cast(film, "Anna", "Bert")
    Credit.objects.filter(pk__in=[c.pk for c in credits]).update(order=5)
    credits[1].save()  # any save of one of the film's credits bills them all
    assert card_cast(film) == ["Anna", "Bert"]
    assert misbilled() == []
