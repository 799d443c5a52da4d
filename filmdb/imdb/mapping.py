"""How IMDb's values become filmdb's: genres, roles, characters, the German title."""

import json

from filmdb.lib.fields import IMDB_ID_MAX_LENGTH
from filmdb.lib.validators import has_invisible_character
from people.models import Credit

GENRES = {
    "Action": "Action",
    "Adult": "Erotik",
    "Adventure": "Abenteuer",
    "Animation": "Animation",
    "Biography": "Biografie",
    "Comedy": "Komödie",
    "Crime": "Krimi",
    "Documentary": "Dokumentarfilm",
    "Drama": "Drama",
    "Family": "Familie",
    "Fantasy": "Fantasy",
    "Film-Noir": "Film noir",
    "Game-Show": "Spielshow",
    "History": "Historienfilm",
    "Horror": "Horror",
    "Music": "Musikfilm",
    "Musical": "Musical",
    "Mystery": "Mystery",
    "News": "Nachrichten",
    "Reality-TV": "Reality-TV",
    "Romance": "Liebesfilm",
    "Sci-Fi": "Science-Fiction",
    "Short": "Kurzfilm",
    "Sport": "Sport",
    "Talk-Show": "Talkshow",
    "Thriller": "Thriller",
    "War": "Kriegsfilm",
    "Western": "Western",
}

# title.principals categories; any other category is skipped and counted.
ROLES = {
    "director": Credit.Role.DIRECTOR,
    "producer": Credit.Role.PRODUCER,
    "actor": Credit.Role.CAST,
    "actress": Credit.Role.CAST,
    "writer": Credit.Role.WRITER,
    "composer": Credit.Role.COMPOSER,
    "cinematographer": Credit.Role.CINEMATOGRAPHER,
    "editor": Credit.Role.EDITOR,
    "casting_director": Credit.Role.CASTING,
}

AKA_KINDS = {"imdbDisplay", "original", "alternative", "working", "festival", "tv", "video", "dvd"}
# Attributes and types that make a German title second choice.
SECOND_CHOICE = ("reissue title", "working title", "working")


def characters(value: str | None) -> str | None:
    """'["Jack","Narrator"]' -> 'Jack / Narrator'; anything unreadable -> ''.

    None when JSON's escapes spell a character no page may show (`\\u0000`) or half a
    surrogate pair, which no database stores: the row is a bad one.
    """
    if not value:
        return ""
    try:
        names = json.loads(value)
    except ValueError:
        return ""
    if not isinstance(names, list):
        return ""
    joined = " / ".join(str(name).strip() for name in names if str(name).strip())[:300]
    if has_invisible_character(joined) or (not joined.isascii() and _has_surrogate(joined)):
        return None
    return joined


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def genre_names(value: str | None) -> list[str]:
    """'Comedy,Crime' -> ['Komödie', 'Krimi']; a genre filmdb does not know keeps its name."""
    return [GENRES.get(genre, genre)[:100] for genre in (value or "").split(",") if genre]


def aka_kind(types: str | None) -> str:
    """The first of an aka's types that filmdb knows (types may be a \\x02-joined list)."""
    for kind in (types or "").split("\x02"):
        if kind in AKA_KINDS:
            return kind
    return ""


def german_title_rank(*, types: str | None, attributes: str | None, ordering: int) -> tuple:
    """Sort key for a film's region-DE titles: the smallest is its German title.

    imdbDisplay first, then any plain title; a reissue or working title only when
    there is nothing else. Ties go to IMDb's own ordering.
    """
    text = f"{types or ''} {attributes or ''}".lower()
    if any(marker in text for marker in SECOND_CHOICE):
        return (2, ordering)
    return (0 if "imdbDisplay" in (types or "") else 1, ordering)


def imdb_number(value: str | None, *, prefix: str) -> str | None:
    """'tt0068646' if `value` is a well-formed IMDb id with `prefix`, else None."""
    if (
        value
        and 9 <= len(value) <= IMDB_ID_MAX_LENGTH
        and value.startswith(prefix)
        and is_number(value[2:])
    ):
        return value
    return None


def is_number(value: str) -> bool:
    """Digits 0 to 9 only: str.isdigit() also takes "²" and "١", which int() or the
    database's id check then refuses."""
    return value.isascii() and value.isdigit()


def year(value: str | None) -> int | None:
    if value and is_number(value) and 1870 <= int(value) <= 2100:
        return int(value)
    return None


def minutes(value: str | None) -> int | None:
    if value and is_number(value) and 0 < int(value) <= 6000:
        return int(value)
    return None
