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
        "poster": image_data(request, film.poster, film.poster_width, film.poster_credit),
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


def person_ref(person) -> dict:
    """A person as lists and credits name them (schemas.PersonRef)."""
    return {"slug": person.slug, "name": person.name}


def _credit(line: CreditLine) -> dict:
    return {
        "role": line.role,
        "person": person_ref(line),
        "character": line.character,
        "german_voices": [person_ref(voice) for voice in line.voices],
    }


def image_data(request: HttpRequest, image, width: int | None, credit: str) -> dict | None:
    """A poster or photo (schemas.Image): its renditions' addresses and widths, its credit."""
    if not image:
        return None
    return {
        "renditions": [
            {"url": request.build_absolute_uri(url), "width": rendition_width}
            for url, rendition_width in renditions(image, width)
        ],
        "credit": credit,
    }


def film_ref(request: HttpRequest, film: Film) -> dict:
    """A film as lists and filmographies name it (schemas.FilmRef)."""
    return {
        "slug": film.slug,
        "title": film.title,
        "year": film.year,
        "url": request.build_absolute_uri(film.get_absolute_url()),
        "api_url": request.build_absolute_uri(
            remembered_reverse("api:film-detail", slug=film.slug)
        ),
    }


def film_card_data(request: HttpRequest, film: Film) -> dict:
    """A film of a list (schemas.FilmCard), from a film card (pages.cards.film_cards)."""
    return film_ref(request, film) | {
        "directors": [person_ref(person) for person in film.card_directors],
        "cast": [person_ref(person) for person in film.card_cast],
    }
