"""The changes feed's entries of films (films.models.changes), written by receivers
connected in films.apps, in the transaction of the write."""

import datetime

from filmdb.lib.publication import visible
from films.models import Film, FilmRedirect
from films.models.changes import ChangeKind, ChangeState, record_changes, record_old_slug


def film_state(film: Film, *, was_public: bool = False, deleted: bool = False) -> ChangeState:
    """`film` as a save or deletion leaves it."""
    return ChangeState(
        object_id=film.pk,
        slug=film.slug,
        public=film.is_published and not deleted,
        was_public=was_public,
        later=[film.published_at] if film.is_scheduled and not deleted else [],
    )


def record_film_to_save(sender, instance: Film, raw: bool, **kwargs) -> None:
    """Before a film's save, raw ones (restores from the history) too: its entries as the
    save leaves it, knowing whether visitors saw it before (a withdrawal is listed as
    removed, a film withdrawn before the feed began included). A film just added is
    recorded once it has its id (`record_added_film`)."""
    if instance.pk is None:
        return
    was_public = Film._base_manager.filter(visible(), pk=instance.pk).exists()
    record_changes(ChangeKind.FILM, [film_state(instance, was_public=was_public)])


def record_added_film(sender, instance: Film, created: bool, raw: bool, **kwargs) -> None:
    if created and not raw:
        record_changes(ChangeKind.FILM, [film_state(instance)])


def record_deleted_film(sender, instance: Film, **kwargs) -> None:
    record_changes(
        ChangeKind.FILM, [film_state(instance, was_public=instance.is_published, deleted=True)]
    )


def record_film_changed(film_id: int, *, later: list[datetime.datetime] = ()) -> None:
    """A change to what a film shows beside its own row (its cast and crew, its reviews):
    listed if visitors see the film, with `later`, moments to come at which they will see
    more of it (a review scheduled for later); the moments to come written before stay.
    A save of the film itself writes its entries afresh from the film alone, leaving
    such moments out."""
    slug = Film._base_manager.filter(visible(), pk=film_id).values_list("slug", flat=True).first()
    if slug is not None:
        record_changes(
            ChangeKind.FILM,
            [ChangeState(object_id=film_id, slug=slug, public=True, was_public=True, later=later)],
            keep_later=True,
        )


def record_old_film_slug(sender, instance: FilmRedirect, raw: bool, **kwargs) -> None:
    """A visible film's old slug is listed as removed: partners who keep films by slug
    drop that copy (the address answers 301 to the new one)."""
    film = instance.film
    if film.is_published and instance.old_slug != film.slug:
        record_old_slug(ChangeKind.FILM, object_id=film.pk, old_slug=instance.old_slug)
