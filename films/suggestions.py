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
from films.search import COMMON_WORDS, estimated_title_matches, popular_matches

# The most popular matches ranked by how well their titles match: the exact title and
# titles starting with the query come first among them.
CANDIDATES = 10
# How far down the most popular films the suggestions look for matching titles, each
# tested as it is read: 5 ms for a typed name that none of them has at 700,000 films.
# Fewer (2,000: 0.6 ms) left more titles to the words' index, where two common words
# took 30 to 70 ms.
POPULAR_TITLES = 20_000
# A word PostgreSQL expects in at most this many titles (a word missing from its
# statistics' most common ones, 3,488 of 700,000 films): all its matches are ranked.
RARE_WORD = COMMON_WORDS


def suggested_films(query: str, limit: int) -> FilmQuerySet:
    """At most `limit` visible films whose title or original title matches `query`: of
    the CANDIDATES most popular matches, the exact title first, then titles starting
    with the query, then the most popular. Where the most popular films have fewer than
    `limit` matches, the less popular films found through the title words' index
    (films_film_search_words_idx), at most CANDIDATES of them, join them. One word that
    few titles have: all its matches."""
    words = query_words(query)
    if not words:
        return Film.objects.none()
    # One word that PostgreSQL's statistics expect in few titles (a typed name, say) is
    # read from the words' index at once, all its matches ranked: looking for it among
    # the most popular films read all of them (5 ms). Several words each common in titles
    # stay with those: the index joined their long lists (30 to 70 ms for "winter weg").
    matching = Film.objects.filter(folded_condition(query)).values("pk")
    estimate = estimated_title_matches(query) if len(words) == 1 else None
    if estimate is not None and estimate <= RARE_WORD:
        condition = Q(AnyOf("pk", matching))
    else:
        found = popular_matches(query, CANDIDATES, POPULAR_TITLES)
        condition = Q(pk__in=found)
        if len(found) < limit:
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
