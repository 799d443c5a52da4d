"""The data migration sets each existing person's moment from their films as they are."""

import datetime

import pytest
from django.utils import timezone

BEFORE = ("people", "0011_credits_default_in_the_database")
AFTER = ("people", "0012_person_published_from")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_sets_the_earliest_moment_of_each_persons_published_films(migrations):
    apps = migrations(BEFORE)
    Film = apps.get_model("films", "Film")
    Person = apps.get_model("people", "Person")
    Credit = apps.get_model("people", "Credit")
    now = timezone.now()
    sooner, later = now - datetime.timedelta(days=3), now + datetime.timedelta(days=2)
    films = {
        "draft": Film.objects.create(title="Entwurf", slug="entwurf"),
        "sooner": Film.objects.create(
            title="Früher", slug="frueher", status="published", published_at=sooner
        ),
        "later": Film.objects.create(
            title="Geplant", slug="geplant", status="published", published_at=later
        ),
    }
    people = {
        name: Person.objects.create(name=name, slug=name)
        for name in ["both", "scheduled", "draft", "none"]
    }
    for person, film in [
        ("both", "later"),
        ("both", "sooner"),
        ("both", "draft"),
        ("scheduled", "later"),
        ("scheduled", "draft"),
        ("draft", "draft"),
    ]:
        Credit.objects.create(person=people[person], film=films[film], role="cast")

    apps = migrations(AFTER)
    moments = dict(apps.get_model("people", "Person").objects.values_list("slug", "published_from"))
    assert moments == {"both": sooner, "scheduled": later, "draft": None, "none": None}
