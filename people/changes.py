"""The changes feed's entries of people (films.models.changes): a person is visible from
their `published_from` on, so their entries are written where that moment is kept
(people.visibility) and by receivers connected in people.apps, in the write's
transaction.

A person's entry is written when they are saved or deleted, when their credits change and
when one of their films is published, scheduled or withdrawn (their filmography changes
with it); while they are visible, each of their films scheduled for later adds an entry at
its moment. Another change to one of their films (its title, say) writes no entry of
theirs: the film's own entry says it.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.utils import timezone

from filmdb.lib.publication import PublicationStatus
from films.changes import record_film_changed
from films.models.changes import ChangeKind, ChangeState, record_changes, record_old_slug
from people.models import Credit, Person, PersonRedirect


def public_people(person_ids: Iterable[int]) -> set[int]:
    """Which of these people visitors see now."""
    return set(
        Person.objects.published().filter(pk__in=list(person_ids)).values_list("pk", flat=True)
    )


def record_people(
    person_ids: Iterable[int],
    *,
    were_public: set[int],
    leaving: int | None = None,
    film_as: tuple[int, datetime.datetime | None] | None = None,
) -> None:
    """The entries of these people after a write that set their `published_from` (with
    people.visibility's `leaving` and `film_as`); `were_public`: those visitors saw
    before."""
    person_ids = list(person_ids)
    now = timezone.now()
    scheduled = Credit.objects.filter(
        person_id__in=person_ids,
        film__status=PublicationStatus.PUBLISHED,
        film__published_at__gt=now,
    )
    if leaving is not None:
        scheduled = scheduled.exclude(pk=leaving)
    later: dict[int, set[datetime.datetime]] = defaultdict(set)
    if film_as is not None:
        film_id, moment = film_as
        scheduled = scheduled.exclude(film_id=film_id)
        if moment is not None and moment > now:
            # Everyone recorded with a film about to be saved is credited on it.
            for person_id in person_ids:
                later[person_id].add(moment)
    for person_id, moment in scheduled.values_list("person_id", "film__published_at").distinct():
        later[person_id].add(moment)
    people = Person._base_manager.filter(pk__in=person_ids).values_list(
        "pk", "slug", "published_from"
    )
    record_changes(
        ChangeKind.PERSON,
        [
            ChangeState(
                object_id=pk,
                slug=slug,
                public=published_from is not None and published_from <= now,
                was_public=pk in were_public,
                later=later[pk],
            )
            for pk, slug, published_from in people
        ],
    )


def record_film_of_credit(sender, instance: Credit, **kwargs) -> None:
    """After a credit's save or deletion: its film's cast and crew changed."""
    record_film_changed(instance.film_id)


def record_deleted_person(sender, instance: Person, **kwargs) -> None:
    was_public = instance.published_from is not None and instance.published_from <= timezone.now()
    record_changes(
        ChangeKind.PERSON,
        [
            ChangeState(
                object_id=instance.pk, slug=instance.slug, public=False, was_public=was_public
            )
        ],
    )


def record_old_person_slug(sender, instance: PersonRedirect, raw: bool, **kwargs) -> None:
    """A visible person's old slug is listed as removed (see films.changes)."""
    person = instance.person
    if person.slug != instance.old_slug and public_people([person.pk]):
        record_old_slug(ChangeKind.PERSON, object_id=person.pk, old_slug=instance.old_slug)
