"""schema.org data for the film page (a Movie with its people and reviews), the person
page and lists of films."""

from django.http import HttpRequest
from django.utils import timezone

from filmdb.pages.film_page import CreditLine, FilmPage
from people.models import Credit, Person


def image_data(url: str, credit: str, note: str) -> str | dict:
    """An image's address, or with its credit and licence note an ImageObject."""
    if not credit and not note:
        return url
    data = {"@type": "ImageObject", "contentUrl": url, "url": url}
    if credit:
        data["creditText"] = credit
    if note:
        data["copyrightNotice"] = note
    return data


def _person(site: str, credit: CreditLine) -> dict:
    return {"@type": "Person", "name": credit.name, "url": site + credit.url}


def review_data(request: HttpRequest, review, *, with_item: bool = True) -> dict:
    data = {
        "@type": "Review",
        "author": {"@type": "Person", "name": review.author_name()},
        "reviewBody": review.body,
        "description": review.verdict,
        "url": request.build_absolute_uri(review.get_absolute_url()),
        "inLanguage": "de",
    }
    if review.headline:
        data["name"] = review.headline
    if review.first_published_at:
        # The day under the review, in the site's time zone as the page shows it.
        data["datePublished"] = timezone.localdate(review.first_published_at).isoformat()
    if review.rating:
        data["reviewRating"] = {
            "@type": "Rating",
            "ratingValue": review.rating,
            "bestRating": 5,
            "worstRating": 1,
        }
    if with_item:
        data["itemReviewed"] = {
            "@type": "Movie",
            "name": review.film.title,
            "url": request.build_absolute_uri(review.film.get_absolute_url()),
        }
    return data


def movie_data(request: HttpRequest, page: FilmPage) -> dict:
    """The film as a schema.org Movie, from what the film page shows."""
    film = page.film
    data = {
        "@context": "https://schema.org",
        "@type": "Movie",
        "name": film.title,
        "url": request.build_absolute_uri(film.get_absolute_url()),
        "inLanguage": "de",
    }
    if film.original_title and film.original_title != film.title:
        data["alternateName"] = film.original_title
    if film.poster:
        data["image"] = image_data(
            request.build_absolute_uri(film.poster.url), film.poster_credit, film.poster_credit_note
        )
    if film.synopsis:
        data["description"] = film.synopsis
    if film.year:
        data["dateCreated"] = str(film.year)
    if film.release_date:
        data["datePublished"] = film.release_date.isoformat()
    if film.runtime:
        data["duration"] = f"PT{film.runtime}M"
    if film.fsk is not None:
        data["contentRating"] = f"FSK {film.fsk}"
    if page.genres:
        data["genre"] = [genre.name for genre in page.genres]
    if countries := film.country_list():
        data["countryOfOrigin"] = [{"@type": "Country", "name": name} for name in countries]
    site = request.build_absolute_uri("/")[:-1]  # once, not for each of hundreds of people
    if directors := page.with_role(Credit.Role.DIRECTOR):
        data["director"] = [_person(site, credit) for credit in directors]
    if actors := page.with_role(Credit.Role.CAST):
        data["actor"] = [_person(site, credit) for credit in actors]
    if reviews := [review for review in page.reviews if review.is_published]:
        data["review"] = [review_data(request, review, with_item=False) for review in reviews]
    if ratings := [review.rating for review in reviews if review.rating]:
        data["aggregateRating"] = {
            "@type": "AggregateRating",
            "ratingValue": round(sum(ratings) / len(ratings), 1),
            "reviewCount": len(ratings),
            "bestRating": 5,
            "worstRating": 1,
        }
    return data


def item_list(request: HttpRequest, films) -> dict:
    """A list page's films as a schema.org ItemList, in the page's order."""
    return {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "numberOfItems": len(films),
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": film.title,
                "url": request.build_absolute_uri(film.get_absolute_url()),
            }
            for position, film in enumerate(films, start=1)
        ],
    }


def person_data(request: HttpRequest, person: Person) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": person.name,
        "url": request.build_absolute_uri(person.get_absolute_url()),
    }
    if person.photo:
        data["image"] = image_data(
            request.build_absolute_uri(person.photo.url),
            person.photo_credit,
            person.photo_credit_note,
        )
    if person.birth_date or person.birth_year:
        data["birthDate"] = (
            person.birth_date.isoformat() if person.birth_date else str(person.birth_year)
        )
    if person.birth_place:
        data["birthPlace"] = {"@type": "Place", "name": person.birth_place}
    if person.death_date or person.death_year:
        data["deathDate"] = (
            person.death_date.isoformat() if person.death_date else str(person.death_year)
        )
    if person.death_place:
        data["deathPlace"] = {"@type": "Place", "name": person.death_place}
    if person.bio:
        data["description"] = person.bio
    return data
