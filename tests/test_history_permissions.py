"""The admin's history, restore and recover views serve only their own model and only
what the user may change; every restore is a save: locked, in the history, in the log."""

import pytest
import reversion
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from reversion.admin import VersionAdmin
from reversion.models import Revision, Version

from filmdb.lib.history import PermittedVersionAdmin
from films.models import AlternativeTitle, Film
from reviews.models import Review
from tests.admin_forms import change_form_data, errors_of
from tests.conftest import make_user
from tests.pages import visible_text

# Far above any id the tests' sequences reach: a film and a review may share one.
SHARED_ID = 900_001


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(model: type, view: str, *args) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def save_through_admin(client: Client, address: str, **changes) -> None:
    response = client.post(address, change_form_data(client.get(address), **changes))
    assert response.status_code == 302, errors_of(response)


def restore(client: Client, address: str, **changes):
    """Opens a restore or recover page and saves it as shown (with `changes` typed)."""
    page = client.get(address)
    assert page.status_code == 200
    return client.post(address, change_form_data(page, **changes))


def review_of(author, film: Film, headline: str, **fields) -> Review:
    """A review as its author saved it first, with that first version in its history."""
    with reversion.create_revision():
        reversion.set_user(author)
        return Review.objects.create(
            film=film,
            author=author,
            headline=headline,
            body="Ein Text.",
            verdict="Ein Fazit.",
            **fields,
        )


def oldest_version(obj) -> Version:
    return Version.objects.get_for_object(obj).last()


def deleted_by_the_redaktion(editor, review: Review) -> Version:
    """Deletes `review` as the Redaktion does; the version the recover list offers."""
    response = logged_in(editor).post(url(Review, "delete", review.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Review.objects.filter(pk=review.pk).exists()
    return Version.objects.get_for_object(review).first()


def restore_logged(obj, user) -> bool:
    """Whether `user`'s restore of `obj` is in the admin log and in its history."""
    entry = LogEntry.objects.filter(object_id=str(obj.pk), action_flag=CHANGE).first()
    newest = Version.objects.get_for_object(obj).first()
    return (
        entry is not None
        and entry.user == user
        and "wiederhergestellt" in entry.get_change_message()
        and newest.revision.user == user
        and "wiederhergestellt" in newest.revision.get_comment()
    )


@pytest.fixture
def withdrawn_film(editor) -> Film:
    """A film the Redaktion published, then renamed, withdrew and gave a working title."""
    with reversion.create_revision():
        reversion.set_user(editor)
        film = Film.objects.create(
            pk=SHARED_ID, title="Erstfassung", year=2020, status=Film.Status.PUBLISHED
        )
    with reversion.create_revision():
        reversion.set_user(editor)
        film.title = "Zurückgezogen"
        film.status = Film.Status.DRAFT
        film.save()
        AlternativeTitle.objects.create(film=film, title="Arbeitstitel", kind="working")
    return film


def assert_still_withdrawn(film: Film) -> None:
    film.refresh_from_db()
    assert (film.title, film.status) == ("Zurückgezogen", Film.Status.DRAFT)
    assert film.alternative_titles.filter(title="Arbeitstitel").exists()
    assert Version.objects.get_for_object(film).count() == 2
    assert not LogEntry.objects.exists()
    assert Client().get(film.get_absolute_url()).status_code == 404  # not back on the site


# A critic and what is not theirs.


def test_a_critic_cannot_restore_a_films_version_through_the_reviews(critic, withdrawn_film):
    client = logged_in(critic)
    published = oldest_version(withdrawn_film)

    # The film's id in a review's address: no review of this critic has it.
    through_history = client.post(url(Review, "revision", SHARED_ID, published.pk), {})
    assert through_history.status_code == 302
    assert "existiert nicht" in visible_text(client.get(through_history.url).content.decode())
    assert client.post(url(Review, "recover", published.pk), {}).status_code == 404
    # The critic's own review with the film's id: the film's version is not one of its.
    review_of(critic, withdrawn_film, "Meine Kritik", pk=SHARED_ID)
    assert client.get(url(Review, "revision", SHARED_ID, published.pk)).status_code == 404
    assert client.post(url(Review, "revision", SHARED_ID, published.pk), {}).status_code == 404

    assert_still_withdrawn(withdrawn_film)
    assert Review.objects.get(pk=SHARED_ID).headline == "Meine Kritik"


def test_a_critic_cannot_open_the_history_of_films(critic, withdrawn_film):
    client = logged_in(critic)
    published = oldest_version(withdrawn_film)
    for address in [
        url(Film, "history", withdrawn_film.pk),
        url(Film, "revision", withdrawn_film.pk, published.pk),
        url(Film, "recoverlist"),
        url(Film, "recover", published.pk),
    ]:
        assert client.get(address).status_code == 403, address
        assert client.post(address, {}).status_code == 403, address
    assert_still_withdrawn(withdrawn_film)


def test_a_critic_neither_sees_nor_restores_another_critics_review_history(
    critic, other_critic, demo_film
):
    foreign = review_of(other_critic, demo_film, "Klaras erste Fassung")
    save_through_admin(
        logged_in(other_critic), url(Review, "change", foreign.pk), headline="Klaras Kritik"
    )
    own = review_of(critic, demo_film, "Meine Kritik")
    first = oldest_version(foreign)
    client = logged_in(critic)

    history = client.get(url(Review, "history", foreign.pk), follow=True)
    assert "existiert nicht" in visible_text(history.content.decode())
    assert "Klara" not in visible_text(history.content.decode())
    for response in [
        client.get(url(Review, "revision", foreign.pk, first.pk), follow=True),
        client.post(url(Review, "revision", foreign.pk, first.pk), {}, follow=True),
    ]:
        assert "existiert nicht" in visible_text(response.content.decode())
        assert "Klaras erste Fassung" not in response.content.decode()
    # Another review's version under the critic's own review's address.
    assert client.post(url(Review, "revision", own.pk, first.pk), {}).status_code == 404

    foreign.refresh_from_db()
    own.refresh_from_db()
    assert (foreign.headline, own.headline) == ("Klaras Kritik", "Meine Kritik")
    assert Version.objects.get_for_object(foreign).count() == 2


def test_a_critic_recovers_only_their_own_deleted_reviews(editor, critic, other_critic, demo_film):
    foreign = deleted_by_the_redaktion(editor, review_of(other_critic, demo_film, "Klaras Kritik"))
    own = deleted_by_the_redaktion(editor, review_of(critic, demo_film, "Karls Kritik"))
    client = logged_in(critic)

    listed = visible_text(client.get(url(Review, "recoverlist")).content.decode())
    assert "Karls Kritik" in listed
    assert "Klaras Kritik" not in listed
    assert client.get(url(Review, "recover", foreign.pk)).status_code == 404
    assert client.post(url(Review, "recover", foreign.pk), {}).status_code == 404
    assert not Review.objects.filter(headline="Klaras Kritik").exists()

    response = restore(client, url(Review, "recover", own.pk))
    assert response.status_code == 302, errors_of(response)
    recovered = Review.objects.get(headline="Karls Kritik")
    assert recovered.author == critic
    assert restore_logged(recovered, critic)
    editors_list = visible_text(logged_in(editor).get(url(Review, "recoverlist")).content.decode())
    assert "Klaras Kritik" in editors_list
    assert "Karls Kritik" not in editors_list


# A critic's own reviews.


def test_a_critic_restores_their_own_review(critic, demo_film):
    own = review_of(critic, demo_film, "Erster Entwurf")
    client = logged_in(critic)
    save_through_admin(client, url(Review, "change", own.pk), headline="Zweiter Entwurf")

    history = visible_text(client.get(url(Review, "history", own.pk)).content.decode())
    assert "Karl Kritiker" in history
    response = restore(client, url(Review, "revision", own.pk, oldest_version(own).pk))

    assert response.status_code == 302, errors_of(response)
    own.refresh_from_db()
    assert own.headline == "Erster Entwurf"
    assert restore_logged(own, critic)
    assert Version.objects.get_for_object(own).count() == 3


def test_a_restore_form_opened_before_someone_else_saved_is_refused(editor, critic, demo_film):
    own = review_of(critic, demo_film, "Erster Entwurf")
    client = logged_in(critic)
    save_through_admin(client, url(Review, "change", own.pk), headline="Zweiter Entwurf")
    address = url(Review, "revision", own.pk, oldest_version(own).pk)
    opened = client.get(address)

    save_through_admin(logged_in(editor), url(Review, "change", own.pk), verdict="Redigiert.")
    refused = client.post(address, change_form_data(opened))

    assert refused.status_code == 200
    assert "von redakteurin um" in errors_of(refused)
    assert "nicht gespeichert" in errors_of(refused)
    own.refresh_from_db()
    assert (own.headline, own.verdict) == ("Zweiter Entwurf", "Redigiert.")
    assert not LogEntry.objects.filter(
        user=critic, change_message__contains="wiederhergestellt"
    ).exists()


def test_a_recover_form_opened_before_someone_else_recovered_is_refused(editor, critic, demo_film):
    deleted = deleted_by_the_redaktion(editor, review_of(critic, demo_film, "Karls Kritik"))
    client = logged_in(critic)
    address = url(Review, "recover", deleted.pk)
    opened = client.get(address)

    recovered = restore(logged_in(editor), address, verdict="Von der Redaktion zurückgeholt.")
    assert recovered.status_code == 302, errors_of(recovered)
    assert client.post(address, change_form_data(opened)).status_code == 404

    [review] = Review.objects.filter(headline="Karls Kritik")
    assert review.verdict == "Von der Redaktion zurückgeholt."
    assert not LogEntry.objects.filter(user=critic).exists()


def test_a_critic_restores_their_review_from_a_bulk_publication_and_only_theirs(
    editor, critic, other_critic, demo_film
):
    own = review_of(critic, demo_film, "Karls Kritik")
    foreign = review_of(other_critic, demo_film, "Klaras Kritik")
    bulk = logged_in(editor).post(
        reverse("admin:reviews_review_changelist"),
        {"action": "set_status_published", "_selected_action": [own.pk, foreign.pk], "index": "0"},
    )
    assert bulk.status_code == 302
    published = Version.objects.get_for_object(own).first()
    assert published.revision.version_set.count() == 2  # both reviews in one revision
    save_through_admin(logged_in(other_critic), url(Review, "change", foreign.pk), headline="Neu")
    client = logged_in(critic)
    save_through_admin(client, url(Review, "change", own.pk), status="draft", headline="Zurück")

    response = restore(client, url(Review, "revision", own.pk, published.pk))

    assert response.status_code == 302, errors_of(response)
    own.refresh_from_db()
    foreign.refresh_from_db()
    assert (own.headline, own.status) == ("Karls Kritik", Review.Status.PUBLISHED)
    assert (foreign.headline, foreign.status) == ("Neu", Review.Status.PUBLISHED)
    assert restore_logged(own, critic)


# The Redaktion and films.


def test_the_redaktion_restores_a_withdrawn_film(editor, withdrawn_film):
    client = logged_in(editor)
    response = restore(
        client, url(Film, "revision", withdrawn_film.pk, oldest_version(withdrawn_film).pk)
    )

    assert response.status_code == 302, errors_of(response)
    withdrawn_film.refresh_from_db()
    assert (withdrawn_film.title, withdrawn_film.status) == ("Erstfassung", Film.Status.PUBLISHED)
    # The stored film had no working title: restored as it was, the one added since goes.
    assert not withdrawn_film.alternative_titles.exists()
    assert restore_logged(withdrawn_film, editor)


def test_restoring_one_film_of_a_bulk_action_leaves_the_others(editor, make_film):
    first, second = make_film("Erster", 2001), make_film("Zweiter", 2002)
    client = logged_in(editor)
    bulk = client.post(
        reverse("admin:films_film_changelist"),
        {"action": "set_status_published", "_selected_action": [first.pk, second.pk], "index": "0"},
    )
    assert bulk.status_code == 302
    published = Version.objects.get_for_object(first).first()
    assert published.revision.version_set.filter(object_id=str(second.pk)).exists()
    save_through_admin(client, url(Film, "change", first.pk), title="Erster, umbenannt")
    save_through_admin(client, url(Film, "change", second.pk), title="Zweiter, umbenannt")

    response = restore(client, url(Film, "revision", first.pk, published.pk))

    assert response.status_code == 302, errors_of(response)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.title == "Erster"
    assert second.title == "Zweiter, umbenannt"


def test_a_restore_that_would_remove_what_the_user_may_not_delete_is_refused(withdrawn_film):
    # May edit films and their rows, but not delete alternative titles.
    limited = make_user("filmpflege")
    limited.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="films").exclude(
            codename="delete_alternativetitle"
        )
    )
    client = logged_in(limited)
    address = url(Film, "revision", withdrawn_film.pk, oldest_version(withdrawn_film).pk)

    for response in [client.get(address, follow=True), client.post(address, {}, follow=True)]:
        shown = visible_text(response.content.decode())
        assert "nicht wiederhergestellt" in shown
        assert "Alternativer Titel" in shown
    assert_still_withdrawn(withdrawn_film)


# Every admin with a history, a new one included.

HISTORY_MODELS = [
    model
    for model, model_admin in admin.site._registry.items()
    if isinstance(model_admin, VersionAdmin)
]


def a_version_of_another_model(version: Version, object_id: str) -> Version:
    """`version`'s data under another object id, as on a large database some other model's
    version always shares an id with the object at hand."""
    revision = Revision.objects.create(date_created=version.revision.date_created)
    return Version.objects.create(
        revision=revision,
        object_id=object_id,
        content_type=version.content_type,
        db=version.db,
        format=version.format,
        serialized_data=version.serialized_data,
        object_repr=version.object_repr,
    )


@pytest.mark.parametrize("model", HISTORY_MODELS, ids=lambda model: model._meta.label)
def test_every_history_admin_serves_its_own_model_and_what_the_user_may_change(
    model, editor, demo_film
):
    assert isinstance(admin.site._registry[model], PermittedVersionAdmin)
    client = logged_in(editor)
    nobody = logged_in(make_user("gast"))  # staff, without any permission
    # Another model's object, changed without history: restoring its version would undo it.
    if model is Film:
        other_obj, field = Review.objects.get(film=demo_film), "verdict"
    else:
        other_obj, field = demo_film, "title"
    other = type(other_obj)
    other_version = oldest_version(other_obj)
    other.objects.filter(pk=other_obj.pk).update(**{field: "Umbenannt"})
    # This model's oldest object with a history (the demo data gives each model one).
    versioned = Version.objects.get_for_model(model).order_by("pk").first()
    obj = versioned.object if versioned is not None else None

    assert nobody.get(url(model, "recoverlist")).status_code == 403
    assert nobody.post(url(model, "recover", other_version.pk), {}).status_code == 403
    assert client.get(url(model, "recover", other_version.pk)).status_code == 404
    assert client.post(url(model, "recover", other_version.pk), {}).status_code == 404
    if obj is not None:
        foreign = a_version_of_another_model(other_version, str(obj.pk))
        assert client.post(url(model, "revision", obj.pk, foreign.pk), {}).status_code == 404
        for address in [
            url(model, "history", obj.pk),
            url(model, "revision", obj.pk, versioned.pk),
        ]:
            refused = nobody.post(address, {})
            # The reviews' admin answers that a review not one's own does not exist.
            assert refused.status_code == 403 or refused.url == reverse("admin:index")
    assert getattr(other.objects.get(pk=other_obj.pk), field) == "Umbenannt"
    assert not LogEntry.objects.exists()

    if obj is not None:
        assert client.get(url(model, "history", obj.pk)).status_code == 200
        response = restore(client, url(model, "revision", obj.pk, versioned.pk))
        assert response.status_code == 302, errors_of(response)
        assert restore_logged(obj, editor)
