"""Folding text for search: lower case, no accents, German umlauts both ways.

The stored `search_text` of a film or person holds every word folded without accents
("jurgen") and, where it differs, in its German spelling ("juergen"), so that "Jurgen",
"Juergen" and "Jürgen" all find Jürgen by a plain `contains` on that column.
"""

import re
import unicodedata

from django.db.models import Q, QuerySet
from django.utils.text import slugify

GERMAN_SPELLING = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
NON_WORD = re.compile(r"[\W_]+")


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _words(text: str) -> list[str]:
    return [word for word in NON_WORD.split(text.casefold()) if word]


def word_spellings(word: str) -> list[str]:
    """The folded spellings of one word: without accents, and the German one if it differs."""
    plain = _strip_accents(word.replace("ẞ", "ß").lower())
    german = _strip_accents(word.lower().translate(GERMAN_SPELLING))
    return [plain] if plain == german else [plain, german]


def fold_for_search(*texts: str) -> str:
    """The searchable form of some texts: their words' spellings, each once, space-separated."""
    folded: dict[str, None] = {}
    for text in texts:
        for word in _words(text or ""):
            for spelling in word_spellings(word):
                folded.setdefault(spelling, None)
    return " ".join(folded)


MAX_QUERY_WORDS = 10


def query_words(query: str) -> list[str]:
    """The words of a search, at most MAX_QUERY_WORDS of them."""
    return _words(query)[:MAX_QUERY_WORDS]


def folded_condition(query: str, field: str = "search_text") -> Q:
    """The folded `field` contains every word of `query`, in any order and spelling.

    `contains` on the already-folded column (not `icontains`, which PostgreSQL turns into
    `UPPER(...) LIKE`) is what a trigram index on that column serves.
    """
    condition = Q()
    for word in query_words(query):
        spellings = Q()
        for spelling in word_spellings(word):
            spellings |= Q(**{f"{field}__contains": spelling})
        condition &= spellings
    return condition


def filter_folded(queryset: QuerySet, query: str, field: str = "search_text") -> QuerySet:
    """Rows whose folded `field` contains every word of `query`, in any order."""
    return queryset.filter(folded_condition(query, field))


def german_slugify(text: str) -> str:
    """A URL slug with German transliteration: "Straße über" -> "strasse-ueber"."""
    return slugify(text.lower().translate(GERMAN_SPELLING))
