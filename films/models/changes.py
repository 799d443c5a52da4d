"""The index of the changes feed (/api/v1/aenderungen/): an entry for each visible change
of a film or person, written in the transaction of the change.

Kept here, at the bottom of the apps, because films and people both write to it (people
build on films, never the other way round); it knows a person only as a kind and an id.
An entry is never rewritten, so a reader's cursor (moment, id) stays where it was: an
object that changes again gets a new, later entry in place of its earlier ones, which
are deleted (`ChangeQuerySet.feed` leaves out any that a later one has overtaken).
Entries still to come (a film scheduled for later) are plans, not history: each write of
their object drops and writes them again.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from filmdb.lib.publication import CurrentMoment

# How far back the feed reaches; older entries are pruned (`prune_changes`).
RETENTION = datetime.timedelta(days=14)


class ChangeKind(models.TextChoices):
    FILM = "film", "Film"
    PERSON = "person", "Person"


class ChangeQuerySet(models.QuerySet):
    def feed(self, *, since: datetime.datetime, after: tuple[datetime.datetime, int] | None):
        """The entries from `since` (and after the cursor `after`, a (moment, id)) up to
        now, oldest first, each object's latest only: an entry that a later one of the
        same kind and slug has overtaken by now is left out. The range is read from
        films_change_feed_idx; each entry's later ones from films_change_slug_idx."""
        now = CurrentMoment()
        overtaken = Change.objects.filter(
            kind=OuterRef("kind"), slug=OuterRef("slug"), moment__lte=now
        ).filter(
            Q(moment__gt=OuterRef("moment")) | Q(moment=OuterRef("moment"), pk__gt=OuterRef("pk"))
        )
        entries = self.filter(moment__gte=since, moment__lte=now)
        if after is not None:
            moment, pk = after
            # The first condition starts the index range at the cursor; the second
            # leaves out what the cursor's moment held up to its entry.
            entries = entries.filter(moment__gte=moment).filter(
                Q(moment__gt=moment) | Q(moment=moment, pk__gt=pk)
            )
        return entries.exclude(Exists(overtaken)).order_by("moment", "pk")

    def prune(self) -> int:
        """Delete the entries older than the feed reaches."""
        deleted, _ = self.filter(moment__lt=timezone.now() - RETENTION).delete()
        return deleted


class Change(models.Model):
    Kind = ChangeKind

    kind = models.CharField("Art", max_length=10, choices=Kind.choices)
    # Not a foreign key: the entry of a deleted object stays, to say it is gone.
    object_id = models.PositiveBigIntegerField("Objekt-ID")
    slug = models.SlugField("Slug", max_length=320, db_index=False)
    moment = models.DateTimeField("Zeitpunkt")
    removed = models.BooleanField("Entfernt", default=False)

    objects = ChangeQuerySet.as_manager()

    class Meta:
        verbose_name = "Änderung"
        verbose_name_plural = "Änderungen"
        ordering = ["moment", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ChangeKind.values),
                name="films_change_kind_valid",
                violation_error_message="Unbekannte Art.",
            ),
            models.CheckConstraint(
                condition=Q(slug__gt=""),
                name="films_change_slug_present",
                violation_error_message="Eine Änderung nennt den Slug ihres Objekts.",
            ),
        ]
        indexes = [
            # The feed: the entries from a moment on, in its order (ChangeQuerySet.feed).
            models.Index(fields=["moment", "id"], name="films_change_feed_idx"),
            # The feed's test whether a later entry of the same object overtook one.
            models.Index(fields=["kind", "slug", "moment"], name="films_change_slug_idx"),
            # A write's look at its object's entries (record_changes).
            models.Index(fields=["kind", "object_id"], name="films_change_object_idx"),
        ]

    def __str__(self) -> str:
        what = "entfernt" if self.removed else "geändert"
        return f"{self.get_kind_display()} {self.slug} {what} ({self.moment:%d.%m.%Y %H:%M})"


@dataclass(frozen=True)
class ChangeState:
    """An object as a write leaves it, for its entries in the feed."""

    object_id: int
    slug: str
    # Visitors see it now.
    public: bool
    # Visitors saw it just before this write (its deletion, withdrawal, …).
    was_public: bool = False
    # Moments still to come at which visitors will see it, or a new side of it (a film
    # scheduled for later; a person's scheduled films).
    later: Iterable[datetime.datetime] = field(default=())


def record_changes(kind: str, states: Iterable[ChangeState], *, keep_later: bool = False) -> None:
    """The entries of these objects after a write, at this moment: present if visitors
    see them, removed if they saw them before (or the feed listed them as present) and
    see them no more, nothing for what no visitor ever saw; and an entry for each moment
    to come at which visitors will see them (those written before are dropped first,
    unless `keep_later`: a change beside the object's own state, which leaves its plans
    as they were). Four queries, whatever the number of objects."""
    states = {state.object_id: state for state in states}
    if not states:
        return
    now = timezone.now()
    ours = Change.objects.filter(kind=kind, object_id__in=list(states))
    if not keep_later:
        ours.filter(moment__gt=now).delete()
    listed = set()  # (object id, slug) of what the feed lists as present now
    past = ours.filter(moment__lte=now).order_by("moment", "pk")
    for object_id, slug, removed in past.values_list("object_id", "slug", "removed"):
        (listed.discard if removed else listed.add)((object_id, slug))
    entries = []
    for state in states.values():
        if state.public:
            entries.append(Change(kind=kind, object_id=state.object_id, slug=state.slug))
        elif state.was_public or (state.object_id, state.slug) in listed:
            entries.append(
                Change(kind=kind, object_id=state.object_id, slug=state.slug, removed=True)
            )
        entries += [
            Change(kind=kind, object_id=state.object_id, slug=state.slug, moment=moment)
            for moment in sorted(set(state.later))
            if moment > now
        ]
    for entry in entries:
        entry.moment = entry.moment or now
    _replace(kind, {entry.slug for entry in entries if entry.moment == now}, entries, now)


def _replace(kind: str, slugs, entries: list[Change], now: datetime.datetime) -> None:
    """Write `entries`, deleting first the entries up to now that those of `slugs` take
    the place of: the feed shows only an object's latest entry, and reading past the
    ones it would leave out cost a page that starts days back thousands of index probes
    once every film had been updated daily. A reader's cursor stays valid, as no row
    moves: a row deleted behind it was read, one ahead of it has a newer one ahead too."""
    Change.objects.filter(kind=kind, slug__in=slugs, moment__lte=now).delete()
    Change.objects.bulk_create(entries)


def record_old_slug(kind: str, *, object_id: int, old_slug: str) -> None:
    """A visible object's former slug, which partners may hold it under: removed now."""
    now = timezone.now()
    entry = Change(kind=kind, object_id=object_id, slug=old_slug, moment=now, removed=True)
    _replace(kind, [old_slug], [entry], now)


def record_visible(kind: str, objects: models.QuerySet) -> int:
    """Note `objects` (a queryset of visible films or people) as changed now, in one
    INSERT … SELECT, for writes that send no signals (the IMDb import); how many."""
    chosen = objects.order_by().annotate(chosen_id=models.F("pk"), chosen_slug=models.F("slug"))
    try:
        selected, params = chosen.values_list("chosen_id", "chosen_slug").query.sql_with_params()
    except EmptyResultSet:  # an empty `pk__in`
        return 0
    now = timezone.now()
    # Their earlier entries give way, as in _replace.
    Change.objects.filter(kind=kind, slug__in=chosen.values("slug"), moment__lte=now).delete()
    moment = connection.ops.adapt_datetimefield_value(now)
    table = Change._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (kind, object_id, slug, moment, removed) "
            f"SELECT %s, chosen_id, chosen_slug, %s, %s FROM ({selected}) AS chosen",
            [kind, moment, False, *params],
        )
        return cursor.rowcount
