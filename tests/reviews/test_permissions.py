from django.urls import reverse

from reviews.models import Review


def make_review(film, author, **fields) -> Review:
    return Review.objects.create(
        film=film, author=author, body="Ein Text.", verdict="Ein Fazit.", **fields
    )


def review_form_data(film, **fields) -> dict:
    data = {
        "film": film.pk,
        "byline": "",
        "headline": "Stark",
        "body": "Ein starker Film.",
        "verdict": "Ansehen.",
        "rating": "4",
        "status": "draft",
        "published_at": "",
    }
    data.update(fields)
    return data


def test_the_editorial_group_may_change_all_content_but_no_users_or_groups(editor_client, editor):
    assert editor.has_perm("films.change_film")
    assert editor.has_perm("people.delete_credit")
    assert editor.has_perm("reviews.change_any_review")
    assert not editor.has_perm("auth.view_user")
    assert not editor.has_perm("auth.change_group")
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert editor_client.get(reverse("admin:auth_group_changelist")).status_code == 403
    assert editor_client.get(reverse("admin:films_film_add")).status_code == 200
    assert editor_client.get(reverse("admin:people_person_add")).status_code == 200


def test_an_editor_sees_and_edits_every_critics_review(
    editor_client, critic, other_critic, demo_film
):
    first = make_review(demo_film, critic, headline="Von Karl")
    make_review(demo_film, other_critic, headline="Von Klara")
    listed = editor_client.get(reverse("admin:reviews_review_changelist")).content.decode()
    assert "Von Karl" in listed and "Von Klara" in listed

    url = reverse("admin:reviews_review_change", args=[first.pk])
    data = review_form_data(
        demo_film, author=critic.pk, headline="Redigiert", lock_version=first.version
    )
    assert editor_client.post(url, data).status_code == 302
    first.refresh_from_db()
    assert first.headline == "Redigiert"
    assert first.author == critic


def test_a_critic_writes_a_review_as_themselves_whatever_the_form_says(
    critic_client, critic, other_critic, demo_film
):
    add_url = reverse("admin:reviews_review_add")
    page = critic_client.get(add_url).content.decode()
    assert 'name="author"' not in page

    data = review_form_data(demo_film, author=other_critic.pk, status="published")
    response = critic_client.post(add_url, data)
    assert response.status_code == 302
    review = Review.objects.get(headline="Stark")
    assert review.author == critic
    assert review.byline == "Karl Kritiker"
    assert review.published_at is not None


def test_a_critic_sees_only_their_own_reviews(critic_client, critic, other_critic, demo_film):
    make_review(demo_film, critic, headline="Meine Kritik")
    make_review(demo_film, other_critic, headline="Fremde Kritik")
    page = critic_client.get(reverse("admin:reviews_review_changelist")).content.decode()
    assert "Meine Kritik" in page
    assert "Fremde Kritik" not in page


def test_a_critic_cannot_open_or_change_another_critics_review(
    critic_client, other_critic, demo_film
):
    foreign = make_review(demo_film, other_critic, headline="Fremde Kritik")
    url = reverse("admin:reviews_review_change", args=[foreign.pk])

    opened = critic_client.get(url, follow=True)
    assert "Fremde Kritik" not in opened.content.decode()
    assert "existiert nicht" in opened.content.decode()

    critic_client.post(url, review_form_data(demo_film, headline="Übernommen"))
    delete = critic_client.post(
        reverse("admin:reviews_review_delete", args=[foreign.pk]), {"post": "yes"}
    )
    assert delete.status_code in {302, 403}
    foreign.refresh_from_db()
    assert foreign.headline == "Fremde Kritik"


def test_a_critic_edits_their_own_review(critic_client, critic, demo_film):
    own = make_review(demo_film, critic, headline="Erster Entwurf")
    url = reverse("admin:reviews_review_change", args=[own.pk])
    assert critic_client.get(url).status_code == 200
    response = critic_client.post(
        url, review_form_data(demo_film, headline="Fertig", lock_version=own.version)
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.headline == "Fertig"
    assert own.author == critic


def test_a_critic_cannot_touch_films_or_people_but_may_pick_a_film(critic_client, demo_film):
    assert critic_client.get(reverse("admin:films_film_add")).status_code == 403
    assert critic_client.get(reverse("admin:people_person_changelist")).status_code == 403
    change = critic_client.post(
        reverse("admin:films_film_change", args=[demo_film.pk]), {"title": "Gekapert"}
    )
    assert change.status_code == 403
    demo_film.refresh_from_db()
    assert demo_film.title == "Der Geschmack von Rost und Knochen"

    suggestions = critic_client.get(
        reverse("admin:autocomplete"),
        {"term": "rost", "app_label": "reviews", "model_name": "review", "field_name": "film"},
    )
    assert suggestions.status_code == 200
    assert [r["text"] for r in suggestions.json()["results"]] == [str(demo_film)]


def test_review_with_a_rating_outside_one_to_five_is_refused(editor_client, editor, demo_film):
    response = editor_client.post(
        reverse("admin:reviews_review_add"),
        review_form_data(demo_film, author=editor.pk, rating="6"),
    )
    assert response.status_code == 200
    assert "gültige Auswahl" in str(response.context["adminform"].form.errors)
    assert not Review.objects.filter(headline="Stark").exists()
