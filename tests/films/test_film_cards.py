"""A film card shows the film's title, year and synopsis, and its first three directors
and actors by billing: the same on the home page and on every search page."""

from filmdb.pages.cards import film_cards
from films.models import Film
from people.models import Credit, Person
from tests.pages import page_text


def film(title: str, status: str = "published", **fields) -> Film:
    return Film.objects.create(title=title, year=2001, status=status, **fields)


def credits(film: Film, role: str, names: list[str], first_order: int = 0) -> None:
    for offset, name in enumerate(names):
        person = Person.objects.create(name=name)
        Credit.objects.create(film=film, person=person, role=role, order=first_order + offset)


def test_cards_come_in_the_order_asked_and_leave_out_drafts_and_unknown_ids(db):
    first, second, draft = film("Erster"), film("Zweiter"), film("Entwurf", status="draft")
    cards = film_cards([second.pk, draft.pk, 999_999, first.pk])
    assert [card.title for card in cards] == ["Zweiter", "Erster"]
    assert film_cards([]) == []


def test_a_card_names_the_first_three_of_each_role_by_billing_and_no_one_else(db):
    shown = film("Mit Besetzung", synopsis="Ein Sommer an der Küste.")
    # The producers come first in the film's order; billing counts within each role.
    credits(shown, "producer", ["Produzentin Eins"], first_order=0)
    credits(shown, "cast", ["Vierte", "Erste", "Zweite", "Dritte"], first_order=10)
    Credit.objects.filter(person__name="Vierte").update(order=99)
    credits(shown, "director", ["Regisseurin"], first_order=5)
    [card] = film_cards([shown.pk])
    assert [p.name for p in card.card_cast] == ["Erste", "Zweite", "Dritte"]
    assert [p.name for p in card.card_directors] == ["Regisseurin"]
    assert card.card_cast[0].url == f"/personen/{card.card_cast[0].slug}/"
    assert card.synopsis == "Ein Sommer an der Küste." and card.year == 2001
    assert card.get_absolute_url() == shown.get_absolute_url()


def test_a_film_without_credits_still_has_its_card(client, db):
    lonely = film("Ohne Namen")
    [card] = film_cards([lonely.pk])
    assert card.card_cast == [] and card.card_directors == []
    text = page_text(client.get("/filme/", {"q": "ohne namen"}))
    assert "Ohne Namen" in text and "Regie:" not in text
