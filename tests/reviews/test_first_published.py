"""A review shows the day it was first published: withdrawing it and publishing it again,
moving its moment or restoring an old version from the history leaves that day."""

import datetime
import xml.etree.ElementTree as ET

import pytest
import reversion
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from reviews.models import Review
from tests.admin_forms import change_form_data, errors_of
from tests.pages import json_ld, page_text, visible_text

ATOM = "{http://www.w3.org/2005/Atom}"
# Ten days ago at ten in the morning in Berlin: the day is the same wherever it is read.
FIRST = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) - (
    datetime.timedelta(days=10)
)


def german_day(moment: datetime.datetime) -> str:
    months = "Januar Februar März April Mai Juni Juli August September Oktober November Dezember"
    local = timezone.localtime(moment)
    return f"{local.day}. {months.split()[local.month - 1]} {local.year}"


@pytest.fixture
def film(make_film):
    return make_film("Ein Film", 2020, status="published")


@pytest.fixture
def review(film, critic) -> Review:
    with reversion.create_revision():
        return Review.objects.create(
            film=film,
            author=critic,
            byline="Karla Kritik",
            headline="Stark",
            body="Erster Absatz.\n\nZweiter Absatz.",
            verdict="Ansehen.",
            status="published",
            published_at=FIRST,
        )


def change_url(review: Review) -> str:
    return reverse("admin:reviews_review_change", args=[review.pk])


def save_in_admin(client, review: Review, **changes) -> None:
    url = change_url(review)
    response = client.post(url, change_form_data(client.get(url), **changes))
    assert response.status_code == 302, errors_of(response)


def moment_fields(moment: datetime.datetime | None) -> dict:
    if moment is None:
        return {"published_at_0": "", "published_at_1": ""}
    local = timezone.localtime(moment)
    return {"published_at_0": f"{local:%d.%m.%Y}", "published_at_1": f"{local:%H:%M:%S}"}


def act(client, action: str, review: Review) -> None:
    response = client.post(
        reverse("admin:reviews_review_changelist"),
        {"action": action, "_selected_action": [review.pk], "index": "0"},
    )
    assert response.status_code == 302


def shown_days(client, review: Review) -> dict[str, str]:
    """The day each place a visitor reads shows for the review."""
    film_html = page_text(client.get(review.film.get_absolute_url()))
    byline = film_html.split('<p class="review__byline">', 1)[1].split("</p>", 1)[0]
    teaser = page_text(client.get(reverse("reviews:list"))).split('<p class="review__byline">')[1]
    [movie] = [data for data in json_ld(film_html) if data["@type"] == "Movie"]
    feed = ET.fromstring(client.get(reverse("feed-reviews")).content)
    return {
        "film page": visible_text(byline),
        "list": visible_text(teaser.split("</p>", 1)[0]),
        "json-ld": movie["review"][0]["datePublished"],
        "feed": feed.find(f"{ATOM}entry/{ATOM}published").text[:10],
    }


def assert_shows_first_day(client, review: Review) -> None:
    day = german_day(FIRST)
    assert shown_days(client, review) == {
        "film page": f"Von Karla Kritik, {day}",
        "list": f"Kritik zu Ein Film (2020) · von Karla Kritik, {day}",
        "json-ld": FIRST.date().isoformat(),
        "feed": FIRST.date().isoformat(),
    }


def test_a_review_shows_the_day_it_was_first_published(client, review):
    assert review.first_published_at == FIRST
    assert_shows_first_day(client, review)


def test_withdrawn_and_published_again_it_keeps_its_first_day(client, editor_client, review):
    act(editor_client, "set_status_draft", review)
    save_in_admin(editor_client, review, status="published", **moment_fields(None))
    review.refresh_from_db()
    assert timezone.now() - review.published_at < datetime.timedelta(minutes=1)
    assert review.first_published_at == FIRST
    act(editor_client, "set_status_draft", review)
    act(editor_client, "set_status_published", review)
    review.refresh_from_db()
    assert review.first_published_at == FIRST
    assert_shows_first_day(client, review)


def test_an_edit_or_a_later_moment_leaves_the_first_day(client, editor_client, review):
    save_in_admin(editor_client, review, verdict="Unbedingt ansehen.")
    later = timezone.now() - datetime.timedelta(days=1)
    save_in_admin(editor_client, review, **moment_fields(later))
    review.refresh_from_db()
    assert (review.verdict, review.first_published_at) == ("Unbedingt ansehen.", FIRST)
    assert_shows_first_day(client, review)


def test_a_scheduled_review_follows_its_moment_until_it_appears(editor_client, review):
    act(editor_client, "set_status_draft", review)
    Review.objects.filter(pk=review.pk).update(first_published_at=None)  # never seen
    soon = timezone.now().replace(microsecond=0) + datetime.timedelta(days=2)
    save_in_admin(editor_client, review, status="published", **moment_fields(soon))
    review.refresh_from_db()
    assert review.is_scheduled and review.first_published_at == soon
    sooner = soon - datetime.timedelta(days=1)
    save_in_admin(editor_client, review, **moment_fields(sooner))
    review.refresh_from_db()
    assert review.first_published_at == sooner


def test_an_earlier_moment_set_by_the_redaktion_becomes_the_first_day(editor_client, review):
    earlier = FIRST - datetime.timedelta(days=30)
    save_in_admin(editor_client, review, **moment_fields(earlier))
    review.refresh_from_db()
    assert review.first_published_at == earlier


def test_a_restore_of_a_version_from_before_its_publication_keeps_the_first_day(
    client, editor_client, film, critic
):
    with reversion.create_revision():
        draft = Review.objects.create(
            film=film, author=critic, byline="Karla Kritik", body="Text.", verdict="Fazit."
        )
    save_in_admin(editor_client, draft, status="published", **moment_fields(FIRST))
    act(editor_client, "set_status_draft", draft)

    before = Version.objects.get_for_object(draft).last()
    assert before.field_dict["first_published_at"] is None
    address = reverse("admin:reviews_review_revision", args=[draft.pk, before.pk])
    restored = editor_client.post(address, change_form_data(editor_client.get(address)))
    assert restored.status_code == 302, errors_of(restored)
    draft.refresh_from_db()
    assert (draft.status, draft.published_at, draft.first_published_at) == ("draft", None, FIRST)

    save_in_admin(editor_client, draft, status="published")
    draft.refresh_from_db()
    assert draft.first_published_at == FIRST
    assert_shows_first_day(client, draft)


def test_a_published_review_cannot_be_stored_without_its_first_day(film, critic):
    written = Review(
        film=film,
        author=critic,
        body="Text.",
        verdict="Fazit.",
        status="published",
        published_at=FIRST,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.bulk_create([written])


def test_the_admin_shows_the_first_day_without_letting_it_be_typed(editor_client, review):
    response = editor_client.get(change_url(review))
    assert "Erstmals veröffentlicht" in page_text(response)
    assert not [name for name in change_form_data(response) if name.startswith("first_")]


MIGRATED_BEFORE = ("reviews", "0009_admin_messages_formal")
MIGRATED_AFTER = ("reviews", "0010_review_first_published_at")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_takes_each_reviews_moment_as_its_first_publication(migrations):
    apps = migrations(MIGRATED_BEFORE)
    Film = apps.get_model("films", "Film")
    User = apps.get_model("auth", "User")
    Review = apps.get_model("reviews", "Review")
    film = Film.objects.create(title="Ein Film", slug="ein-film")
    author = User.objects.create(username="karla")
    now = timezone.now()
    past, future = now - datetime.timedelta(days=3), now + datetime.timedelta(days=2)
    for headline, status, moment in [
        ("published", "published", past),
        ("scheduled", "published", future),
        ("withdrawn", "draft", past),
        ("withdrawn before its moment", "draft", future),
        ("never published", "draft", None),
    ]:
        Review.objects.create(
            film=film,
            author=author,
            headline=headline,
            body="Text.",
            verdict="Fazit.",
            status=status,
            published_at=moment,
        )

    apps = migrations(MIGRATED_AFTER)
    Review = apps.get_model("reviews", "Review")
    assert dict(Review.objects.values_list("headline", "first_published_at")) == {
        "published": past,
        "scheduled": future,
        "withdrawn": past,
        "withdrawn before its moment": None,
        "never published": None,
    }
