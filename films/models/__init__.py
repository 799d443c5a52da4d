"""The films app's models, by topic: genres, films, offers."""

from films.models.changes import Change
from films.models.films import (
    FIRST_FILM_YEAR,
    LAST_FILM_YEAR,
    AlternativeTitle,
    Film,
    FilmQuerySet,
    FilmRedirect,
)
from films.models.genres import BEST_FIRST, NEWEST_FIRST, Genre, GenreListing
from films.models.offers import Offer, OfferClick

__all__ = [
    "BEST_FIRST",
    "FIRST_FILM_YEAR",
    "LAST_FILM_YEAR",
    "NEWEST_FIRST",
    "AlternativeTitle",
    "Change",
    "Film",
    "FilmQuerySet",
    "FilmRedirect",
    "Genre",
    "GenreListing",
    "Offer",
    "OfferClick",
]
