"""A person's page: their photo with its credit, birth and death, biography and the films
they are known for, each only when there is something to show."""

import datetime
import re

from django.utils import timezone

from films.models import Film
from people.models import KNOWN_FOR_FILMS, Credit, Person
from tests.films.test_images import jpeg, upload
from tests.pages import film_card_titles, json_ld, page_text, visible_text


def known_for_titles(html: str) -> list[str]:
    section = re.search(r'<section class="known-for".*?</section>', html, flags=re.S)
    return film_card_titles(section.group(0)) if section else []


def title_of(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, flags=re.S).group(1).strip()


def credited(person: Person, film: Film, role: str = "cast", **fields) -> Credit:
    return Credit.objects.create(film=film, person=person, role=role, **fields)


def with_popularity(film: Film, popularity: int) -> Film:
    # Counted from credits and reviews on every save of them: set after those.
    Film.objects.filter(pk=film.pk).update(popularity=popularity)
    return film


def test_the_page_shows_photo_and_credit_birth_death_biography_and_known_for(
    client, make_person, make_film
):
    gabin = make_person(
        "Jean Gabin",
        birth_date=datetime.date(1904, 5, 17),
        birth_place="Paris",
        death_date=datetime.date(1976, 11, 15),
        death_place="Neuilly-sur-Seine",
        bio="Französischer Schauspieler.\n\nEiner der großen Stars des Kinos.",
        photo_credit="Foto: Studio Harcourt",
        photo_credit_note="Gemeinfrei",
    )
    gabin.photo.save("gabin.jpg", upload("gabin.jpg", jpeg(200, 300)))
    credited(gabin, make_film("Hafen im Nebel", 1938, status="published"), character="Jean")

    html = page_text(client.get(gabin.get_absolute_url()))
    text = visible_text(html)
    figure = html.split('<figure class="person__figure">', 1)[1].split("</figure>", 1)[0]
    assert 'alt="Foto: Jean Gabin"' in figure
    assert "Foto: Studio Harcourt · Gemeinfrei" in visible_text(figure)
    assert "Geboren am 17. Mai 1904 in Paris" in text
    assert '<time datetime="1904-05-17">' in html
    assert "Gestorben am 15. November 1976 in Neuilly-sur-Seine" in text
    assert "Biografie Französischer Schauspieler. Einer der großen Stars des Kinos." in text
    assert known_for_titles(html) == ["Hafen im Nebel"]
    assert title_of(html) == "Jean Gabin – Filme und Biografie | filmdb"


def test_a_year_stands_in_for_an_unknown_day_and_a_place_may_stand_alone(
    client, make_person, make_film
):
    person = make_person("Ohne Tag", birth_year=1904, death_place="Paris")
    credited(person, make_film("Ein Film", status="published"))
    html = page_text(client.get(person.get_absolute_url()))
    text = visible_text(html)
    assert "Geboren 1904 Gestorben in Paris" in text
    assert "<time" not in html.split("<h1>", 1)[1].split("</header>", 1)[0]


def test_a_person_with_nothing_more_than_a_film_shows_no_empty_headings(
    client, make_person, make_film
):
    person = make_person("Nur ein Name")
    credited(person, make_film("Ein Film", status="published"))
    html = page_text(client.get(person.get_absolute_url()))
    for absent in ["Geboren", "Gestorben", "Biografie", '<dl class="facts">', "<figure"]:
        assert absent not in html
    assert title_of(html) == "Nur ein Name – Filme | filmdb"
    assert "Filme und Biografie" not in html


def test_staff_see_no_known_for_while_none_of_the_films_is_published(
    editor_client, make_person, make_film
):
    person = make_person("Noch geheim")
    credited(person, make_film("Entwurf", 2025))
    html = page_text(editor_client.get(person.get_absolute_url()))
    assert "Bekannt für" not in html
    assert "Entwurf (2025)" in visible_text(html)  # in the filmography, for the Redaktion


def test_known_for_shows_the_most_popular_published_films_each_once(
    client, editor_client, make_person, make_film
):
    person = make_person("Vielseitig")
    films = {}
    for title, year in [
        ("Klein", 2001),
        ("Riesig", 1990),
        ("Mittel", 2010),
        ("Groß", 2005),
        ("Auch mittel, älter", 1999),
    ]:
        films[title] = make_film(title, year, status="published")
        credited(person, films[title])
    credited(person, films["Riesig"], role="director")  # a second credit, one card
    draft = make_film("Unveröffentlicht", 2024)
    credited(person, draft, role="director")
    popularity = {"Klein": 2, "Riesig": 90, "Mittel": 40, "Groß": 70, "Auch mittel, älter": 40}
    for title, film in films.items():
        with_popularity(film, popularity[title])
    with_popularity(draft, 1000)

    expected = ["Riesig", "Groß", "Mittel", "Auch mittel, älter"]
    assert len(expected) == KNOWN_FOR_FILMS
    assert known_for_titles(page_text(client.get(person.get_absolute_url()))) == expected
    staff_html = page_text(editor_client.get(person.get_absolute_url()))
    assert known_for_titles(staff_html) == expected


def test_the_person_page_reads_known_for_from_its_two_queries(
    client, make_person, django_assert_num_queries
):
    person = make_person("Vielbeschäftigt", bio="Spielt in allem mit.")
    films = Film.objects.bulk_create(
        Film(
            title=f"Film {n}",
            slug=f"film-{n}",
            year=1950 + n,
            status="published",
            published_at=timezone.now(),
            popularity=n,
        )
        for n in range(40)
    )
    Credit.objects.bulk_create(Credit(film=film, person=person, role="cast") for film in films)
    Person.objects.filter(pk=person.pk).update(published_from=timezone.now())
    with django_assert_num_queries(2):  # the person, their credits with their films
        html = page_text(client.get(person.get_absolute_url()))
    assert known_for_titles(html) == ["Film 39", "Film 38", "Film 37", "Film 36"]


def test_the_json_ld_has_the_dates_places_and_biography_the_page_shows(
    client, make_person, make_film
):
    person = make_person(
        "Jean Gabin",
        birth_date=datetime.date(1904, 5, 17),
        birth_place="Paris",
        death_year=1976,
        bio="Französischer Schauspieler.",
    )
    credited(person, make_film("Hafen im Nebel", 1938, status="published"))
    [data] = json_ld(page_text(client.get(person.get_absolute_url())))
    assert data["birthDate"] == "1904-05-17"
    assert data["birthPlace"] == {"@type": "Place", "name": "Paris"}
    assert data["deathDate"] == "1976"
    assert "deathPlace" not in data
    assert data["description"] == "Französischer Schauspieler."
