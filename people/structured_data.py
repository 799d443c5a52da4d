"""schema.org data for the person page."""

from django.http import HttpRequest

from films.structured_data import image_data
from people.models import Person


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
