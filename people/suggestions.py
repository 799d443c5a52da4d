"""What the search fields suggest while a visitor types (/personen/autocomplete/): people
by name, and for the field that searches everything, films by title too."""

from django.db import models

from filmdb.lib.folding import filter_folded, folded_condition, query_words, word_spellings
from filmdb.lib.subqueries import AnyOf
from films.suggestions import suggested_films
from people.models import Credit, Person

PEOPLE = 10
FILMS = 4
# A typed beginning such as "tra" begins a word of 15,000 of two million names: sorting
# them all by name took 130 ms at every pause in typing. The suggestions rank the first
# CANDIDATES public people the words' index finds; the next letters narrow them.
CANDIDATES = 50
# Even finding them in the words' index took 4 to 10 ms for three letters. Until a word
# has this many letters, the candidates are people whose names begin with the query's
# first word, read from the folded names' index (people_person_name_prefix_idx) up to
# the CANDIDATES-th; the other words are tested in those.
WORD_INDEX_LETTERS = 4


def people_suggestions(query: str, role: str | None = None) -> list[dict]:
    """Up to PEOPLE public people whose names match `query` (with a credit of `role` on a
    visible film, if given), names starting with the query first, each with the film a
    visitor knows them from. Only the first CANDIDATES matches are ranked."""
    words = query_words(query)
    if not words:
        return []
    short = max(len(word) for word in words) < WORD_INDEX_LETTERS
    if short:
        first = word_spellings(words[0])[0]
        candidates = Person.objects.filter(search_text__startswith=first)
    else:
        candidates = filter_folded(Person.objects.all(), query)
    candidates = candidates.with_role(role) if role else candidates.published()
    people = Person.objects.filter(AnyOf("pk", candidates.order_by().values("pk")[:CANDIDATES]))
    if short and len(words) > 1:
        people = people.filter(folded_condition(query, each_row=True))
    people = people.by_name_match(query)
    return [
        {
            "name": person.name,
            "slug": person.slug,
            "url": person.get_absolute_url(),
            "known_for": person.known_from or "",
        }
        for person in people.with_known_for(role)[:PEOPLE]
    ]


def film_suggestions(query: str) -> list[dict]:
    """Up to FILMS visible films whose titles match `query`, best first, each with its
    year and its first billed director, read in the films' query for the few films
    chosen, through the credits' index that starts with the film."""
    directors = Credit.objects.filter(
        film=models.OuterRef("pk"), role=Credit.Role.DIRECTOR
    ).order_by("billing", "pk")
    films = suggested_films(query, FILMS).annotate(
        director=models.Subquery(directors.values("person__name")[:1])
    )
    return [
        {
            "title": film.title,
            "year": film.year,
            "director": film.director or "",
            "url": film.get_absolute_url(),
        }
        for film in films
    ]
