"""The admin's bulk actions "veröffentlichen" and "zurückziehen" for films and reviews:
each row saved with its next version and history, within the user's permissions."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.models import Version

from filmdb.lib import admin as lib_admin
from films.models import Film, Genre
from reviews.models import Review
from tests.admin_forms import change_form_data
from tests.conftest import make_user
from tests.pages import film_card_titles, page_text, visible_text


def act(client, model: str, action: str, objects) -> list[str]:
    response = client.post(
        reverse(f"admin:{model}_changelist"),
        {"action": action, "_selected_action": [obj.pk for obj in objects], "index": "0"},
        follow=True,
    )
    assert response.status_code == 200
    return [str(message) for message in get_messages(response.wsgi_request)]


def review(film: Film, author, status: str = "published", rating: int = 4) -> Review:
    return Review.objects.create(
        film=film, author=author, body="Text.", verdict="Fazit.", rating=rating, status=status
    )


def test_the_redaktion_publishes_selected_films_and_visitors_see_them(
    client, editor_client, make_film
):
    drama = Genre.objects.create(name="Drama", slug="drama")
    first, second = make_film("Erster", 2001), make_film("Zweiter", 2002)
    already = make_film("Schon da", 2003, status="published")
    first.genres.add(drama)
    messages = act(editor_client, "films_film", "set_status_published", [first, second, already])
    assert messages == ["2 Filme veröffentlicht. 1 blieb unverändert."]
    assert set(Film.objects.values_list("status", flat=True)) == {"published"}
    for film in (first, second):
        film.refresh_from_db()
        assert film.version == 2
        [newest, *_] = Version.objects.get_for_object(film)
        assert newest.field_dict["status"] == "published"
        assert "Sammelaktion" in newest.revision.get_comment()
    assert Version.objects.get_for_object(already).count() == 0
    editor_client.logout()
    assert film_card_titles(page_text(client.get("/filme/"))) == ["Schon da", "Zweiter", "Erster"]
    assert "Drama (1 Film)" in visible_text(page_text(client.get("/genres/")))


def test_withdrawing_reviews_takes_them_off_the_site(client, editor_client, editor, make_film):
    film = make_film("Bewertet", status="published")
    reviews = [review(film, editor), review(film, editor, rating=2)]
    assert "Bewertet" in film_card_titles(page_text(client.get("/bestenliste/")))
    messages = act(editor_client, "reviews_review", "set_status_draft", reviews)
    assert messages == ["2 Kritiken zurückgezogen."]
    assert not Review.objects.filter(status="published").exists()
    editor_client.logout()
    assert film_card_titles(page_text(client.get("/bestenliste/"))) == []


def test_a_critic_withdraws_only_their_own_reviews(client, critic, other_critic, make_film):
    film = make_film("Film", status="published")
    own, others = review(film, critic), review(film, other_critic)
    client.force_login(critic)
    assert act(client, "reviews_review", "set_status_draft", [own, others]) == [
        "1 Kritik zurückgezogen."
    ]
    assert Review.objects.get(pk=others.pk).status == "published"
    assert Review.objects.get(pk=own.pk).status == "draft"


def test_without_the_right_to_change_films_there_is_no_action(client, make_film):
    viewer = make_user("leserin")
    viewer.user_permissions.add(Permission.objects.get(codename="view_film"))
    film = make_film("Entwurf")
    client.force_login(viewer)
    changelist = page_text(client.get(reverse("admin:films_film_changelist")))
    assert "set_status_published" not in changelist
    act(client, "films_film", "set_status_published", [film])
    assert Film.objects.get().status == "draft"


def test_more_films_than_the_limit_are_refused_and_none_changes(
    editor_client, make_film, monkeypatch
):
    monkeypatch.setattr(lib_admin, "BULK_STATUS_LIMIT", 2)
    films = [make_film(f"Film {n}", 2000 + n) for n in range(3)]
    messages = act(editor_client, "films_film", "set_status_published", films)
    assert messages == ["Wählen Sie höchstens 2 Filme auf einmal."]
    assert set(Film.objects.values_list("status", flat=True)) == {"draft"}


@pytest.mark.parametrize("model", ["films_film", "reviews_review"])
def test_the_actions_are_offered_in_german(editor_client, model):
    changelist = page_text(editor_client.get(reverse(f"admin:{model}_changelist")))
    plural = "Filme" if model == "films_film" else "Kritiken"
    assert f"Ausgewählte {plural} veröffentlichen" in changelist
    assert f"Ausgewählte {plural} zurückziehen" in changelist


def test_a_form_opened_before_a_bulk_change_cannot_undo_it(editor_client, make_film):
    film = make_film("Entwurf")
    url = reverse("admin:films_film_change", args=[film.pk])
    opened = editor_client.get(url)
    act(editor_client, "films_film", "set_status_published", [film])
    response = editor_client.post(url, change_form_data(opened, title="Anders"))
    assert response.status_code == 302
    told = " ".join(str(message) for message in get_messages(response.wsgi_request))
    assert "wurde von redakteurin um" in told
    assert "Inzwischen geändert: Status" in told and "zusammengeführt" in told
    assert Film.objects.values_list("title", "status").get() == ("Anders", "published")


def test_a_bulk_publication_counts_each_genre_once(editor_client, make_film):
    drama = Genre.objects.create(name="Drama", slug="drama")
    films = [make_film(f"Film {n}", 2000 + n) for n in range(3)]
    for film in films:
        film.genres.add(drama)
    with CaptureQueriesContext(connection) as published:
        act(editor_client, "films_film", "set_status_published", films)
    recounts = [
        q for q in published.captured_queries if q["sql"].startswith('UPDATE "films_genre"')
    ]
    assert len(recounts) == 1
    assert Genre.objects.get().film_count == 3
