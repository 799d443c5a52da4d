"""Folding text for search: lower case, no accents, German umlauts both ways.

The stored `search_text` of a film or person holds every word folded without accents
("jurgen") and, where it differs, in its German spelling ("juergen"), so that "Jurgen",
"Juergen" and "Jürgen" all find Jürgen: a search matches the beginnings of its words
(`words_start`).
"""

import re
import unicodedata

from django.db import models
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


def fold_title(text: str) -> str:
    """A title as one comparable key: its words folded, German spelling, one space apart.

    "Der Geschmack von Rost und Knochen" -> "der geschmack von rost und knochen"; a
    search compares its own key with it for exact titles and titles starting with it.
    """
    return " ".join(word_spellings(word)[-1] for word in _words(text or ""))


MAX_QUERY_WORDS = 10


def query_words(query: str) -> list[str]:
    """The words of a search, at most MAX_QUERY_WORDS of them."""
    return _words(query)[:MAX_QUERY_WORDS]


# From this many letters on, a word's beginnings are spelled out in the full-text index.
INDEXED_BEGINNING = 3


@models.TextField.register_lookup
class WordsStart(models.Lookup):
    """`search_text__words_start=query`: each word of `query`, in one of its spellings,
    begins a word of the folded column ("sall" finds "celine sallette"; "lette" does not).

    PostgreSQL: full-text search on the column's words' beginnings from three letters on,
    spelled out by `filmdb_word_beginnings()` (films' migration 0008) and served by GIN
    indexes on `to_tsvector('simple', filmdb_word_beginnings(column))`: a typed word is
    one whole lexeme there ("sall"), a shorter one a prefix term ("sa:*"). Scanning the
    words' letters (trigrams, `LIKE '%sall%'`) took 8 to 10 ms for a name among two
    million people, the words by prefix terms 14 ms for two common title words; the
    beginnings' whole queries take 0.6 and 5 ms. SQLite: `' ' || column LIKE '% sall%'`
    for each word, without an index, with the same results.
    """

    lookup_name = "words_start"
    prepare_rhs = False
    by_index = True

    def as_sql(self, compiler, connection):
        column, column_params = self.process_lhs(compiler, connection)
        spellings = [word_spellings(word) for word in query_words(self.rhs)]
        if connection.vendor == "postgresql" and self.by_index:
            terms = " & ".join(
                "(" + " | ".join(_beginning_term(spelling) for spelling in word) + ")"
                for word in spellings
            )
            return (
                f"to_tsvector('simple'::regconfig, filmdb_word_beginnings({column})) @@ "
                "to_tsquery('simple'::regconfig, %s)",
                (*column_params, terms),
            )
        conditions, params = [], []
        for word in spellings:
            conditions.append(" OR ".join(f"(' ' || {column}) LIKE %s" for _ in word))
            for spelling in word:
                params += [*column_params, f"% {spelling}%"]
        return " AND ".join(f"({condition})" for condition in conditions), tuple(params)


@models.TextField.register_lookup
class WordsStartEach(WordsStart):
    """`words_start` tested row by row (`LIKE` on both databases), for rows read in
    another index's order: PostgreSQL computes the full-text form of a row's beginnings
    in about 30 µs, the `LIKE` in under one."""

    lookup_name = "words_start_each"
    by_index = False


def has_short_word(query: str) -> bool:
    """Whether a word of `query` is shorter than the beginnings the index spells out: such
    a word ("a", "ma") begins the names of one person in ten."""
    return any(len(word) < INDEXED_BEGINNING for word in query_words(query))


def _beginning_term(spelling: str) -> str:
    """The full-text term of a word's beginning: itself, or a prefix term if shorter
    than the beginnings the index spells out."""
    return spelling if len(spelling) >= INDEXED_BEGINNING else f"{spelling}:*"


def folded_condition(query: str, field: str = "search_text", *, each_row: bool = False) -> Q:
    """Each word of `query` begins a word of the folded `field`, in any order and
    spelling; no condition for a query without words (punctuation alone). `each_row`:
    tested on each row read (`words_start_each`), not found through the index."""
    if not query_words(query):
        return Q()
    lookup = "words_start_each" if each_row else "words_start"
    return Q(**{f"{field}__{lookup}": query})


def filter_folded(queryset: QuerySet, query: str, field: str = "search_text") -> QuerySet:
    """Rows whose folded `field` has words beginning with every word of `query`."""
    return queryset.filter(folded_condition(query, field))


def german_slugify(text: str) -> str:
    """A URL slug with German transliteration: "Straße über" -> "strasse-ueber"."""
    return slugify(text.lower().translate(GERMAN_SPELLING))
