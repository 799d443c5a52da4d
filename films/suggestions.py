"""The films the search fields suggest while a visitor types: published films whose
titles have words beginning with every typed word, the best few first.

A suggestion is asked for at every pause in typing, so it reads a bounded number of
rows, never every match: the search's ranking of all title matches (films.search) took
25 to 60 ms at 700,000 films for two words of a generated title, which 2,000 films share.
"""

from django.db import models
from django.db.models import Q

from filmdb.lib.folding import fold_title, folded_condition, query_words
from filmdb.lib.subqueries import AnyOf
from films.models import Film, FilmQuerySet
from films.search import popular_matches

# The most popular matches ranked by how well their titles match: the exact title and
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
