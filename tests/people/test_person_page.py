import datetime

from django.urls import reverse
from django.utils import timezone

from films.models import Film
from people.models import Credit, Person, PersonRedirect
from people.visibility import publish_people
from tests.pages import json_ld, page_text, visible_text


def test_person_page_lists_the_filmography_by_role_newest_first(client, demo_film, make_film):
    audiard = Person.objects.get(name="Jacques Audiard")
    audiard.birth_date = datetime.date(1952, 4, 30)
    audiard.birth_place = "Paris"
    audiard.bio = "Französischer Regisseur.\n\nSohn des Drehbuchautors Michel Audiard."
    audiard.save()
    prophet = make_film("Ein Prophet", 2009, status="published")
    Credit.objects.create(film=prophet, person=audiard, role="director")

    html = page_text(client.get(audiard.get_absolute_url()))
    text = visible_text(html)
    assert "<h1>Jacques Audiard</h1>" in html
    assert "Geboren am 30. April 1952 in Paris" in text
    assert "<p>Sohn des Drehbuchautors Michel Audiard.</p>" in html
    text = text[text.index("Filmografie") :]
    regie = text.index("Regie")
    drehbuch = text.index("Drehbuch")
    assert regie < drehbuch
    directed = text[regie:drehbuch]
    assert directed.index("Der Geschmack von Rost und Knochen (2012)") < directed.index(
        "Ein Prophet (2009)"
    )
    assert "Der Geschmack von Rost und Knochen (2012)" in text[drehbuch:]
    assert f'href="{demo_film.get_absolute_url()}"' in html
    assert f'href="{prophet.get_absolute_url()}"' in html


def test_cast_credits_show_the_character(client, demo_film):
    cotillard = Person.objects.get(name="Marion Cotillard")
    text = visible_text(page_text(client.get(cotillard.get_absolute_url())))
    assert "Darsteller Der Geschmack von Rost und Knochen (2012) als Stéphanie" in text


def test_draft_films_are_left_out_of_the_filmography_for_visitors(client, editor, make_film):
    person = Person.objects.create(name="Jemand Neues")
    shown = make_film("Gezeigt", 2020, status="published")
    Credit.objects.create(film=shown, person=person, role="director")
    Credit.objects.create(film=make_film("Geheim", 2025), person=person, role="director")
    text = visible_text(page_text(client.get(person.get_absolute_url())))
    assert "Regie Gezeigt (2020)" in text
    assert "Geheim" not in text
    client.force_login(editor)
    text = visible_text(page_text(client.get(person.get_absolute_url())))
    assert "Regie Geheim (2025) Gezeigt (2020)" in text
    assert "Entwurf" not in text  # the person is public: no draft banner


def test_person_page_json_ld_is_a_person(client, demo_film):
    cotillard = Person.objects.get(name="Marion Cotillard")
    (data,) = json_ld(page_text(client.get(cotillard.get_absolute_url())))
    assert data["@type"] == "Person"
    assert data["name"] == "Marion Cotillard"
    assert data["url"] == f"http://testserver{cotillard.get_absolute_url()}"


def test_unknown_person_is_404(client, db):
    assert client.get("/personen/niemand/").status_code == 404


def test_a_renamed_person_answers_the_old_url_with_a_301(client, editor_client, demo_film):
    person = Person.objects.get(name="Céline Sallette")
    data = {
        "name": "Céline Sallette",
        "slug": "celine-sallette-1980",
        "imdb_id": "",
        "birth_date": "",
        "birth_place": "",
        "death_date": "",
        "death_place": "",
        "birth_year": "1980",
        "death_year": "",
        "bio": "",
        "lock_version": str(person.version),
        "credits-TOTAL_FORMS": "0",
        "credits-INITIAL_FORMS": "0",
        "credits-MIN_NUM_FORMS": "0",
        "credits-MAX_NUM_FORMS": "1000",
    }
    response = editor_client.post(reverse("admin:people_person_change", args=[person.pk]), data)
    assert response.status_code == 302
    assert PersonRedirect.objects.get().old_slug == "celine-sallette"
    old = client.get("/personen/celine-sallette/")
    assert (old.status_code, old["Location"]) == (301, "/personen/celine-sallette-1980/")


def test_person_page_with_300_credits_takes_a_constant_number_of_queries(
    client, make_person, django_assert_max_num_queries
):
    person = make_person("Vielbeschäftigt")
    films = Film.objects.bulk_create(
        Film(
            title=f"Film {n}",
            slug=f"film-{n}",
            year=1950 + n % 70,
            status="published",
            published_at=timezone.now(),
        )
        for n in range(300)
    )
    Credit.objects.bulk_create(
        Credit(film=film, person=person, role="cast", character=f"Rolle {n}")
        for n, film in enumerate(films)
    )
    publish_people([person.pk])  # bulk writes send no signals
    with django_assert_max_num_queries(2):
        response = client.get(person.get_absolute_url())
    assert visible_text(page_text(response)).count(" als Rolle ") == 300
