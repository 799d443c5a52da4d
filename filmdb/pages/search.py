"""The film search: the films a search's words and names find and their ranking, what
it looks up first (the people each searched name finds, whether its words are too
common to rank every match), and the nearest name for "Meintest du …?". The filter set
that reads the query parameters is filters.py's."""

import functools
import json
import operator
from difflib import SequenceMatcher

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL

from filmdb.lib.folding import (
    INDEXED_BEGINNING,
    fold_for_search,
    fold_title,
    folded_condition,
    has_short_word,
    query_words,
    word_spellings,
)
from filmdb.lib.replicas import read_connection
from filmdb.lib.subqueries import AnyOf, OneOf, named_parameters, one_of
from films.models import AlternativeTitle, Film, FilmQuerySet
from people.models import Credit, Person

# More people than this for one name ("anna", or any word of one or two letters) make it
# a broad name: it finds the BROAD_PEOPLE people best billed in the POPULAR_FILMS most
# popular films, and only their credits there. Ranking all of them ORed the credits of
# every match: 13.7 s for `q=ma` at 20,000 films.
BROAD_NAME = 1_000
BROAD_PEOPLE = 100
POPULAR_FILMS = 30
# Title words that PostgreSQL's statistics expect in more films than this are common
# ("zeit" begins a word of one generated title in 16), and so are words of one or two
# letters: a search then takes the CANDIDATES most popular of the POPULAR_TITLES most
# popular films whose titles match, read in order of popularity, instead of reading and
# ranking every match.
COMMON_WORDS = 5_000
CANDIDATES = 1_001
POPULAR_TITLES = 20_000


def _most_popular() -> models.QuerySet:
    return Film.objects.published().order_by("-popularity", "-pk")


def popular_films() -> models.QuerySet:
    """The ids of the POPULAR_FILMS most popular visible films (films_film_popular_idx)."""
    return _most_popular().values("pk")[:POPULAR_FILMS]


class PeopleFound:
    """The people each searched name finds (every word of it beginning a word of their
    name), looked up for all the names of a search in one query, two with broad names.

    The searches then read credits by these people's ids, which PostgreSQL's planner
    sees: given the names alone, it guessed 42,000 people for a name that one has, and
    read all ten million credits to join them; and it checked each film's credits
    against an unhashed list of 729 people, 1.3 s for one name. A broad name (see
    BROAD_NAME) finds the people of the most popular films and only their credits there.
    """

    def __init__(self, names) -> None:
        names = list(dict.fromkeys(name for name in names if query_words(name)))
        self.ids: dict[str, list[int]] = {name: [] for name in names}
        self.broad: set[str] = {name for name in names if has_short_word(name)}
        people = Person.objects.order_by()
        # At most one more than BROAD_NAME a name, where the database allows a limit in
        # each part of a UNION (SQLite does not: there all are read, and counted here).
        found = _each_name(
            [name for name in names if name not in self.broad],
            lambda name: people.filter(folded_condition(name)),
            limit=BROAD_NAME + 1,
        )
        for name, ids in found.items():
            if len(ids) > BROAD_NAME:
                self.broad.add(name)
            else:
                self.ids[name] = ids
        # A broad name's own credits, by id: matched again by person and film in every
        # film a search ranks, they cost more than the rest of the search.
        self.broad_credits: dict[str, list[int]] = {}
        for name in list(self.broad):
            self.broaden(name)

    def broaden(self, name: str) -> None:
        """Take `name` for a broad name from now on (words common in titles are: "zeit"
        began the names of 682 people at 700,000 films, credited in 3,340 films that the
        search then ranked one by one, 500 ms)."""
        self.broad.add(name)
        self.ids[name], self.broad_credits[name] = _best_billed_in_popular_films(name)

    def credited(self, name: str, role: str | None = None) -> Q:
        """A credit (of `role`, or any) of one of the people `name` finds."""
        if name in self.broad:
            condition = Q(OneOf("pk", self.broad_credits[name]))
        else:
            condition = Q(OneOf("person_id", self.ids[name]))
        return condition & Q(role=role) if role else condition

    def credits(self, name: str, role: str | None = None) -> models.QuerySet:
        """The credits (of `role`, or any) of the people `name` finds."""
        return Credit.objects.filter(self.credited(name, role))

    def credit_sql(self, name: str, role: str, alias: str) -> tuple[str, list]:
        """`credited(name, role)` as SQL over the credits table aliased `alias`."""
        if name in self.broad:
            credited, params = one_of(
                f"{alias}.id", self.broad_credits[name], read_connection.vendor
            )
        else:
            credited, params = one_of(f"{alias}.person_id", self.ids[name], read_connection.vendor)
        return f"({alias}.role = %s AND {credited})", [role, *params]


def _best_billed_in_popular_films(name: str) -> tuple[list[int], list[int]]:
    """The BROAD_PEOPLE people `name` finds in the credits of the most popular films,
    those billed first there first (the leads and directors of popular films), and
    their credits there."""
    credits = (
        Credit.objects.filter(AnyOf("film_id", popular_films()))
        .filter(folded_condition(name, "person__search_text", each_row=True))
        .order_by("billing", "person_id")
        .values_list("person_id", "pk")
    )
    people: dict[int, list[int]] = {}
    for person, credit in credits:
        if person in people or len(people) < BROAD_PEOPLE:
            people.setdefault(person, []).append(credit)
    return list(people), [credit for ids in people.values() for credit in ids]


def _each_name(names: list[str], people_of, limit: int | None = None) -> dict[str, list[int]]:
    """The ids of `people_of(name)` for each of `names`, in one UNION query."""
    if not read_connection.features.supports_slicing_ordering_in_compound:
        limit = None
    each = [
        people_of(name)
        .annotate(name_number=models.Value(number))
        .values_list("name_number", "pk")[:limit]
        for number, name in enumerate(names)
    ]
    found: dict[str, list[int]] = {name: [] for name in names}
    if each:
        for number, pk in each[0].union(*each[1:], all=True):
            found[names[number]].append(pk)
    return found


def has_common_words(query: str) -> bool:
    """Whether PostgreSQL's statistics expect the title words of `query` in more than
    COMMON_WORDS films (a plan's estimate: no row is read). Words of one or two letters
    always are. SQLite keeps no such statistics: there only those."""
    if has_short_word(query):
        return True
    estimate = estimated_title_matches(query)
    return estimate is not None and estimate > COMMON_WORDS


def estimated_title_matches(query: str) -> int | None:
    """How many films PostgreSQL's statistics expect to have titles with the words of
    `query` (a plan's estimate: no row is read); None without words or statistics."""
    if read_connection.vendor != "postgresql" or not query_words(query):
        return None
    sql, params = Film.objects.filter(folded_condition(query)).values("pk").query.sql_with_params()
    with read_connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        (plan,) = cursor.fetchone()
    if isinstance(plan, str):
        plan = json.loads(plan)
    return plan[0]["Plan"]["Plan Rows"]


def most_popular_matching(query: str) -> list[int]:
    """The ids of the CANDIDATES most popular visible films whose titles match `query`,
    among the POPULAR_TITLES most popular (see popular_matches)."""
    return popular_matches(query, CANDIDATES, POPULAR_TITLES)


def popular_matches(query: str, limit: int, among: int) -> list[int]:
    """The ids of the `limit` most popular visible films whose titles match `query`,
    among the `among` most popular: read along films_film_popular_idx (which holds the
    folded titles), each title tested as it is read, and no further than the `limit`-th
    match. At 700,000 films 0.2 ms for two words of a title and ten matches; 5 ms for
    words that none of the 20,000 most popular has.

    Written out: the ORM cannot limit the rows read before testing them; bounding them
    by the popularity of the `among`-th film read that many first, each time (3.8 ms
    for the 20,000th).
    """
    popular, popular_params = (
        Film.objects.published()
        .order_by("-popularity", "-pk")
        .values("pk", "search_text")[:among]
        .query.sql_with_params()
    )
    # Each word begins a word of the folded titles, in one of its spellings, as the
    # `words_start_each` lookup tests it (the words hold letters and digits only).
    conditions, params = [], []
    for word in query_words(query):
        spellings = word_spellings(word)
        conditions.append(" OR ".join("(' ' || popular.search_text) LIKE %s" for _ in spellings))
        params += [f"% {spelling}%" for spelling in spellings]
    # Named columns (SQLite names a subquery's columns after their expressions); a
    # CTE read once, which PostgreSQL reads as the subquery it is, row by row.
    sql = f"""
        WITH popular(id, search_text) AS ({popular})
        SELECT popular.id FROM popular
        WHERE {" AND ".join(f"({condition})" for condition in conditions)}
        LIMIT %s
    """
    with read_connection.cursor() as cursor:
        cursor.execute(sql, [*popular_params, *params, limit])
        return [pk for (pk,) in cursor.fetchall()]


def search(films: FilmQuerySet, query: str, found: PeopleFound | None = None) -> FilmQuerySet:
    """Films whose title, original title, an alternative title or a credited person's
    name has words beginning with every word of `query` (folded, any order). Each
    film once. `found`: the people the query finds, if looked up already."""
    if not query_words(query):
        return films
    found = found or PeopleFound([query])
    # The alternative titles' and the people's films are each gathered first
    # (AnyOf): PostgreSQL then ORs three index lookups instead of testing every film.
    # Common words rank only the most popular matches: see has_common_words.
    common = has_common_words(query)
    if common and query not in found.broad:
        found.broaden(query)
    alternative_titles = AlternativeTitle.objects.filter(folded_condition(query, each_row=common))
    if common:
        alternative_titles = alternative_titles.filter(AnyOf("film_id", popular_films()))
    titles = OneOf("pk", most_popular_matching(query)) if common else folded_condition(query)
    condition = Q(titles) | AnyOf("pk", alternative_titles.values("film_id"))
    if found.ids[query]:
        condition |= AnyOf("pk", found.credits(query).values("film_id"))
    return films.filter(condition)


def with_person(
    films: FilmQuerySet, role: str, name: str, found: PeopleFound | None = None
) -> FilmQuerySet:
    """Films with a credit of `role` of a person whose name `name` finds.

    The films with such a credit are gathered first (AnyOf): several conditions each
    hold through their own credit, and no join multiplies the rows.
    """
    if not query_words(name):
        return films  # punctuation alone names nobody: no condition, as with `q`
    found = found or PeopleFound([name])
    return films.filter(AnyOf("pk", found.credits(name, role=role).values("film_id")))


def by_relevance(
    films: FilmQuerySet,
    query: str = "",
    people: list[tuple[str, str]] = (),
    found: PeopleFound | None = None,
) -> FilmQuerySet:
    """Best matches first, for a search by `query` (title or name) and by `people`
    ((role, name) conditions):

    1. the exact title (or original title), folded;
    2. titles starting with the query;
    3. films where a searched person is credited, by their billing: first the films
       where they lead the cast (or are the first named director), then second…;
    4. the rest;

    the most popular first within each, then the newest added. Without words to
    rank by (punctuation alone), newest first.
    """
    people = [(role, name) for role, name in people if query_words(name)]
    found = found or PeopleFound([query, *(name for _, name in people)])
    # Names that find nobody credit no film.
    searched = [found.credits(name, role=role) for role, name in people if found.ids[name]]
    if query_words(query) and found.ids[query]:
        searched.append(found.credits(query))
    tiers = []
    if key := fold_title(query):
        tiers += [
            models.When(Q(title_key=key) | Q(original_title_key=key), then=0),
            models.When(
                Q(title_key__startswith=key) | Q(original_title_key__startswith=key), then=1
            ),
        ]
    billing = models.Value(0)
    if searched:
        credits = functools.reduce(operator.or_, searched)
        # Billing only for the films a searched person is credited in, gathered once:
        # a common title word matches tens of thousands of films.
        tiers.append(models.When(AnyOf("pk", credits.values("film_id")), then=2))
        first_billed = credits.filter(film=OuterRef("pk")).order_by("billing").values("billing")[:1]
        billing = models.Case(models.When(relevance=2, then=Subquery(first_billed)), default=0)
    if not tiers:
        return films.newest()  # no words to rank by
    relevance = models.Case(*tiers, default=3, output_field=models.IntegerField())
    return (films.annotate(relevance=relevance).annotate(billing=billing)).order_by(
        "relevance", "billing", "-popularity", "-pk"
    )


def with_people_best_billed(
    films: FilmQuerySet, people: list[tuple[str, str]], limit: int, found: PeopleFound | None = None
) -> list[int]:
    """The ids of the `films` that have a credit for each of `people` ((role, name)
    conditions), ranked as `by_relevance` ranks a search by people alone: by the best
    billing of a searched person, then most popular; at most `limit`.

    Read from the searched people's credits, a few thousand at most for a typed
    name, with their stored billing, and grouped by film: ranking the films instead
    billed each by looking through its credits (1.3 s for a name that 729 actors
    share), and counting each found credit's predecessors took half of the query.
    """
    people = [(role, name) for role, name in people if query_words(name)]
    found = found or PeopleFound([name for _, name in people])
    # Written out, with named parameters: building it with the ORM took 2.5 ms of a
    # 10 ms search. Each person condition's are named after it (`person0_…`), and
    # HAVING tests them again by name.
    conditions, params = [], {"limit": limit}
    for number, (role, name) in enumerate(people):
        condition, condition_params = found.credit_sql(name, role, "c")
        condition, named = named_parameters(condition, condition_params, f"person{number}_")
        conditions.append(condition)
        params |= named
    # Each credit's film read by its id, with the search's other conditions (NULL
    # when they do not hold): as a join, PostgreSQL hashed all 700,000 films for a
    # name 2,017 people share (170 of 350 ms).
    popularity, named = named_parameters(
        *films.filter(pk=RawSQL("c.film_id", ()))
        .order_by()
        .values("popularity")[:1]
        .query.sql_with_params(),
        "film_",
    )
    params |= named
    # Every condition held, where there are several: each credit holds one. Testing
    # one name's condition again took a sixth of the query for a name that 2,017
    # people share (each credit looked for among their ids).
    having = ""
    if len(conditions) > 1:
        having = "HAVING " + " AND ".join(
            f"COUNT(*) FILTER (WHERE {held}) > 0" for held in conditions
        )
    # OFFSET 0 keeps each credit's film read once (merged into the outer query, its
    # film was read twice).
    sql = f"""
        SELECT film_id FROM (
            SELECT c.id, c.film_id, c.role, c.person_id, c.billing, ({popularity}) AS popularity
            FROM {Credit._meta.db_table} c
            WHERE {" OR ".join(conditions)}
            {"OFFSET 0" if read_connection.vendor == "postgresql" else ""}
        ) AS c
        WHERE popularity IS NOT NULL
        GROUP BY film_id
        {having}
        ORDER BY MIN(billing), MAX(popularity) DESC, film_id DESC
        LIMIT %(limit)s
    """
    with read_connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [film_id for (film_id,) in cursor.fetchall()]


def suggest_person_name(text: str) -> str | None:
    """The name of the published person most like `text`, for "Meintest du …?"; None
    if it is `text` itself, or for a name with a word of one or two letters, which is
    like too many names to be worth one (and to look for)."""
    if not query_words(text) or has_short_word(text):
        return None
    if read_connection.vendor == "postgresql":
        nearest = _most_similar_name(fold_for_search(text))
    else:
        nearest = _most_similar_name_by_beginnings(query_words(text))
    return nearest if nearest and nearest.casefold() != text.strip().casefold() else None


def _most_similar_name(folded: str) -> str | None:
    # Like words of the name, not like the whole name: "cotilard" is near "marion
    # cotillard". Served by the trigram index: 24 ms at two million people, where the
    # whole names' similarity took 230 ms.
    # Published people only: a name offered here would reveal a draft film's people.
    return (
        Person.objects.published()
        .filter(search_text__trigram_word_similar=folded)
        .annotate(similarity=TrigramWordSimilarity(folded, "search_text"))
        .order_by("-similarity", "name")
        .values_list("name", flat=True)
        .first()
    )


# Without trigrams (SQLite): the nearest of at most NEAR_CANDIDATES published people with
# a word of their name beginning with the first three letters of a typed word, if its
# words are on average at least NEAR_ENOUGH like the typed ones (difflib's ratio:
# "cotilard" and "cotillard" 0.94). A typo in the first three letters finds no one.
NEAR_CANDIDATES = 200
NEAR_ENOUGH = 0.8


def _most_similar_name_by_beginnings(words: list[str]) -> str | None:
    typed = [word_spellings(word)[0] for word in words]
    begins_alike = Q()
    for word in typed:
        begins_alike |= folded_condition(word[:INDEXED_BEGINNING])
    candidates = (
        Person.objects.published()
        .filter(begins_alike)
        .order_by("name", "pk")
        .values_list("name", "search_text")[:NEAR_CANDIDATES]
    )
    best, nearest = NEAR_ENOUGH, None
    for name, search_text in candidates:
        name_words = search_text.split()
        likeness = sum(
            max((SequenceMatcher(None, word, other).ratio() for other in name_words), default=0)
            for word in typed
        ) / len(typed)
        if likeness > best:
            best, nearest = likeness, name
    return nearest
