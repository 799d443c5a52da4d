"""What the search fields suggest while a visitor types (/personen/autocomplete/): people
by name, and for the field that searches everything, films by title too: published films
whose titles have words beginning with every typed word, the best few first.

A suggestion is asked for at every pause in typing, so it reads a bounded number of
rows, never every match: the search's ranking of all title matches (filmdb.pages.search) took
25 to 60 ms at 700,000 films for two words of a generated title, which 2,000 films share.
"""

from django.db import models
from django.db.models import Q

from filmdb.lib.folding import (
    filter_folded,
    fold_title,
    folded_condition,
    query_words,
    word_spellings,
)
from filmdb.lib.subqueries import AnyOf
from filmdb.pages.search import popular_matches
from films.models import Film, FilmQuerySet
from people.models import Credit, Person

PEOPLE = 10
FILMS = 4

# The most popular films' matches ranked by how well their titles match: the exact title and
# titles starting with the query come first among them.
CANDIDATES = 10
# How far down the most popular films the suggestions look for matching titles, each
# tested as it is read: 5 ms for a typed name that none of them has at 700,000 films.
# Fewer left more titles of several words to the words' index, where two common words
# took 30 to 70 ms.
POPULAR_TITLES = 20_000
# One word is looked for among fewer first (0.6 ms at most); a word these have too few
# matches of is read from the words' index, all its matches if it has at most
# RARE_WORD: a typed name is rarely a title's word.
FIRST_POPULAR = 2_000
RARE_WORD = 200


def suggested_films(query: str, limit: int) -> FilmQuerySet:
    """At most `limit` visible films whose title or original title matches `query`: of
    the CANDIDATES most popular matches, the exact title first, then titles starting
    with the query, then the most popular. Where the most popular films have fewer than
    `limit` matches, the less popular films found through the title words' index
    (films_film_search_words_idx), at most CANDIDATES of them, join them; for one word
    that at most RARE_WORD titles have, all of them."""
    words = query_words(query)
    if not words:
        return Film.objects.none()
    matching = Film.objects.filter(folded_condition(query)).order_by().values_list("pk", flat=True)
    found = popular_matches(query, CANDIDATES, FIRST_POPULAR if len(words) == 1 else POPULAR_TITLES)
    if len(found) < limit and len(words) == 1:
        some = list(matching[: RARE_WORD + 1])
        if len(some) <= RARE_WORD:
            found = some
        else:
            found = [*popular_matches(query, CANDIDATES, POPULAR_TITLES), *some[:CANDIDATES]]
    condition = Q(pk__in=found)
    if len(found) < limit and len(words) > 1:
        condition |= Q(AnyOf("pk", matching[:CANDIDATES]))
    key = fold_title(query)
    relevance = models.Case(
        models.When(Q(title_key=key) | Q(original_title_key=key), then=0),
        models.When(Q(title_key__startswith=key) | Q(original_title_key__startswith=key), then=1),
        default=2,
        output_field=models.IntegerField(),
    )
    return (
        Film.objects.published()
        .filter(condition)
        .annotate(relevance=relevance)
        .order_by("relevance", "-popularity", "-pk")
        .only("title", "year", "slug")[:limit]
    )


# A typed beginning such as "tra" begins a word of 15,000 of two million names: sorting
# them all by name took 130 ms at every pause in typing. The suggestions rank the first
# PEOPLE_CANDIDATES public people the words' index finds; the next letters narrow them.
PEOPLE_CANDIDATES = 50
# Even finding them in the words' index took 4 to 10 ms for three letters. Until a word
# has this many letters, the candidates are people whose names begin with the query's
# first word, read from the folded names' index (people_person_name_prefix_idx) up to
# the PEOPLE_CANDIDATES-th; the other words are tested in those.
WORD_INDEX_LETTERS = 4


def people_suggestions(query: str, role: str | None = None) -> list[dict]:
    """Up to PEOPLE public people whose names match `query` (with a credit of `role` on a
    visible film, if given), names starting with the query first, each with the film a
    visitor knows them from. Only the first PEOPLE_CANDIDATES matches are ranked."""
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
    candidates = candidates.order_by().values("pk")[:PEOPLE_CANDIDATES]
    people = Person.objects.filter(AnyOf("pk", candidates))
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
