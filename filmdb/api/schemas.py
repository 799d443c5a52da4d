"""The API's answers as pydantic schemas: what the OpenAPI schema documents and every
answer is validated against. Field names are English; values are the site's (roles are
Credit.Role's, offer kinds Offer.Kind's).

Plain pydantic models, not ninja's Schema: the views answer dicts, and ninja's Schema
reads each field of each nested dict through its Django getter. Validating a film's
detail took 1.0 ms with it and 0.26 ms without; the OpenAPI schema is the same."""

import datetime

from pydantic import BaseModel, Field


class PersonRef(BaseModel):
    slug: str
    name: str


class Credit(BaseModel):
    role: str = Field(description="Credit.Role: director, producer, cast, writer, …")
    person: PersonRef
    character: str = Field(description="Die Rolle, die eine Darstellerin spielt; sonst leer.")
    german_voices: list[PersonRef] = Field(
        description="Die deutschen Synchronstimmen dieser Rolle (nur bei cast)."
    )


class Rendition(BaseModel):
    url: str
    width: int


class Image(BaseModel):
    renditions: list[Rendition] = Field(description="Vom schmalsten zum breitesten.")
    credit: str


class Rating(BaseModel):
    average: float
    count: int


class Genre(BaseModel):
    slug: str
    name: str


class Review(BaseModel):
    headline: str
    verdict: str = Field(description="Das Fazit der Kritik.")
    rating: int | None = Field(description="1 bis 5 Sterne, wenn vergeben.")
    author: str
    date: datetime.date | None
    link: str


class Offer(BaseModel):
    provider: str
    kind: str = Field(description="Offer.Kind: stream, rent, buy, dvd, bluray")
    link: str = Field(description="Über /weiter/, damit der Klick gezählt wird.")


class FilmDetail(BaseModel):
    slug: str
    title: str
    original_title: str
    year: int
    runtime: int | None
    fsk: int | None
    kinostart: datetime.date | None
    distributor: str
    genres: list[Genre]
    synopsis: str
    poster: Image | None
    rating: Rating | None
    credits: list[Credit]
    reviews: list[Review]
    offers: list[Offer]
    url: str = Field(description="Die deutsche Filmseite.")
    imdb_id: str | None


class FilmRef(BaseModel):
    slug: str
    title: str
    year: int
    url: str = Field(description="Die deutsche Filmseite.")
    api_url: str


class FilmCard(FilmRef):
    directors: list[PersonRef]
    cast: list[PersonRef]


class FilmList(BaseModel):
    results: list[FilmCard]
    next: str | None = Field(description="Die nächste Seite, oder null auf der letzten.")


class Problem(BaseModel):
    """RFC 9457: application/problem+json."""

    type: str
    title: str
    status: int
    detail: str
    errors: dict[str, list[str]] | None = None


class KinostartCard(FilmCard):
    kinostart: datetime.date
    fsk: int | None
    runtime: int | None
    genres: list[str] = Field(description="Die Namen der Genres.")


class CinemaWeek(BaseModel):
    start: datetime.date = Field(description="Der Donnerstag, an dem die Kinowoche beginnt.")
    end: datetime.date = Field(description="Der Mittwoch, an dem sie endet.")
    results: list[KinostartCard]
    previous: str | None = Field(description="Die Kinowoche davor, oder null.")
    next: str | None = Field(description="Die Kinowoche danach, oder null.")


class RatedCard(FilmCard):
    rating: Rating


class RatedList(BaseModel):
    results: list[RatedCard]
    next: str | None


class GenreEntry(BaseModel):
    slug: str
    name: str
    film_count: int = Field(description="Die Zahl der veröffentlichten Filme.")
    films: str = Field(description="Die Filmsuche der API nach diesem Genre.")


class GenreList(BaseModel):
    results: list[GenreEntry]
    next: str | None


class PersonCredit(BaseModel):
    film: FilmRef
    character: str
    voices: PersonRef | None = Field(
        description="Bei Synchronstimmen (dubbing): die Darstellerin, die sie spricht."
    )


class FilmographyRole(BaseModel):
    role: str = Field(description="Credit.Role: director, producer, cast, …")
    credits: list[PersonCredit] = Field(description="Neueste Filme zuerst.")


class PersonDetail(BaseModel):
    slug: str
    name: str
    birth_date: datetime.date | None
    birth_year: int | None
    birth_place: str
    death_date: datetime.date | None
    death_year: int | None
    death_place: str
    bio: str
    photo: Image | None
    url: str = Field(description="Die deutsche Personenseite.")
    imdb_id: str | None
    filmography: list[FilmographyRole]


class PersonEntry(BaseModel):
    slug: str
    name: str
    known_from: str | None = Field(description="Ihr neuester Film als „Titel (Jahr)“.")
    url: str
    api_url: str


class PersonList(BaseModel):
    results: list[PersonEntry]
    next: str | None


class ChangeEntry(BaseModel):
    kind: str = Field(description="film oder person.")
    slug: str
    moment: datetime.datetime = Field(description="Wann sich das geändert hat (ISO 8601).")
    removed: bool = Field(
        description=(
            "true: zurückgezogen, gelöscht oder ein alter Slug; lösch deine Kopie. "
            "false: neu oder geändert; hol es neu."
        )
    )
    url: str | None = Field(description="Die Adresse in der API, oder null, wenn entfernt.")


class ChangeList(BaseModel):
    results: list[ChangeEntry] = Field(description="Die älteste Änderung zuerst.")
    next: str | None = Field(description="Die nächste Seite, oder null auf der letzten.")
