"""Films as the API shows them, built from the pages' reading functions: the film page's
one query (film_page) and the search's film cards (film_cards)."""

from django.http import HttpRequest

from filmdb.lib.images import renditions
from filmdb.lib.urls import remembered_reverse
from filmdb.pages.film_page import CreditLine, FilmPage
from films.models import Film


def film_detail_data(request: HttpRequest, page: FilmPage) -> dict:
    """A film with its credits, reviews and offers (schemas.FilmDetail)."""
    film = page.film
    link = request.build_absolute_uri
    return {
        "slug": film.slug,
        "title": film.title,
        "original_title": film.original_title,
        "year": film.year,
        "runtime": film.runtime,
        "fsk": film.fsk,
        "kinostart": film.release_date,
        "distributor": film.distributor,
        "genres": [{"slug": genre.slug, "name": genre.name} for genre in page.genres],
        "synopsis": film.synopsis,
        "poster": _poster(request, film),
        "rating": (
            {"average": film.rating_average, "count": film.rating_count}
            if film.rating_count
            else None
        ),
        "credits": [_credit(line) for line in page.credits],
        "reviews": [
            {
                "headline": review.headline,
                "verdict": review.verdict,
                "rating": review.rating,
                "author": review.author_name(),
                "date": review.first_published_at and review.first_published_at.date(),
                "link": link(review.get_absolute_url()),
            }
            for review in page.reviews
        ],
        "offers": [
            {"provider": offer.provider, "kind": offer.kind, "link": link(offer.get_absolute_url())}
            for offer in page.offers
        ],
        "url": link(film.get_absolute_url()),
        "imdb_id": film.imdb_id,
    }


def _person(line) -> dict:
    return {"slug": line.slug, "name": line.name}


def _credit(line: CreditLine) -> dict:
    return {
        "role": line.role,
        "person": _person(line),
        "character": line.character,
        "german_voices": [_person(voice) for voice in line.voices],
    }


def _poster(request: HttpRequest, film: Film) -> dict | None:
    if not film.poster:
        return None
    return {
        "renditions": [
            {"url": request.build_absolute_uri(url), "width": width}
            for url, width in renditions(film.poster, film.poster_width)
        ],
        "credit": film.poster_credit,
    }


def film_card_data(request: HttpRequest, film: Film) -> dict:
    """A film of a list (schemas.FilmCard), from a film card (pages.cards.film_cards)."""
    return {
        "slug": film.slug,
        "title": film.title,
        "year": film.year,
        "url": request.build_absolute_uri(film.get_absolute_url()),
        "api_url": request.build_absolute_uri(
            remembered_reverse("api:film-detail", slug=film.slug)
        ),
        "directors": [_person(person) for person in film.card_directors],
        "cast": [_person(person) for person in film.card_cast],
    }
