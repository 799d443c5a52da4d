"""Each genre's listing of its published films and their number (GenreListing,
Genre.film_count), kept as films and their genres change: connected in films.apps. A
film's deletion counts its genres again itself (Film.delete, FilmQuerySet.delete).

What a film's listings hold of it is what it was before a save: each receiver compares
the film with them, so no state is carried from before a save to after it.
"""

from filmdb.lib.publication import PublicationStatus
from films.models import Film, GenreListing
from films.models.genres import refresh_genre_counts


def refresh_genres_of_film(sender, instance: Film, **kwargs) -> None:
    """Receiver for a film's saves, raw ones (restores from the history) too: its genres
    list it again when their listings of it differ from it (its status, moment of
    publication, year or title changed), and count it again when it was published,
    withdrawn or moved to another moment."""
    rows = GenreListing.objects.filter(film=instance).values_list(
        "genre_id", "published_at", "sort_year", "title"
    )
    listed_genres = {genre for genre, *_ in rows}
    listed = {tuple(keys) for _, *keys in rows}
    published = instance.status == PublicationStatus.PUBLISHED
    if published and listed == {(instance.published_at, instance.year or 0, instance.title)}:
        return  # an edit of its texts, facts or image: nothing that a genre shows
    if not published and not listed:
        return  # a draft, listed nowhere
    genres = set(instance.genres.values_list("pk", flat=True)) if published else set()
    if not genres and not listed:
        return  # published without genres
    GenreListing.objects.refresh(film=instance)
    moments_before = {moment for moment, *_ in listed}
    if moments_before != ({instance.published_at} if genres else set()):
        refresh_genre_counts(genres | listed_genres)


def refresh_genres_of_change(sender, instance, action: str, reverse: bool, pk_set, **kwargs):
    """Receiver for changes of films' genres, from either side of the relation."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # genre.films.add(...) and the like change this genre only
        changed = {"genre": instance} | ({"film__in": pk_set} if pk_set else {})
        genres = [instance.pk]
    elif instance.status != PublicationStatus.PUBLISHED:
        return  # a draft's genres list and count it nowhere
    elif action == "post_clear":
        # Its listings still name the genres it had.
        changed = {"film": instance}
        genres = list(GenreListing.objects.filter(film=instance).values_list("genre_id", flat=True))
    else:
        changed = {"film": instance, "genre__in": pk_set}
        genres = pk_set
    GenreListing.objects.refresh(**changed)
    refresh_genre_counts(genres)
