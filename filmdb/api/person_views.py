"""People: the search by name and a person with their filmography by role, read as the
person pages read them."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404, redirect
from ninja import Path, Query, Router

from filmdb.api import problems
from filmdb.api.answers import PAGE_PARAMETER, listing, page_of, read, refuse_unknown
from filmdb.api.films import film_ref, image_data, person_ref
from filmdb.api.problems import BadRequest
from filmdb.api.schemas import PersonDetail, PersonList, Problem
from filmdb.lib.timeouts import search_time_limit
from filmdb.lib.urls import remembered_reverse
from filmdb.pages.forms import PersonListForm
from people.models import Credit, Person, PersonRedirect

router = Router(tags=["Personen"])


@read(
    router,
    "/personen/",
    response={200: PersonList, 400: Problem, 503: Problem},
    summary="Personen suchen",
    description=(
        "Personen nach ihrem Namen (`q`, Pflicht), wie die Personensuche der Website: "
        "Namen, die mit der Eingabe beginnen, zuerst. 20 je Seite."
    ),
    url_name="person-list",
)
@search_time_limit(timed_out=problems.too_slow)
def person_list(
    request: HttpRequest, q: str = Query(..., examples=["cotillard"]), seite: str | None = None
):
    refuse_unknown(request, ["q", PAGE_PARAMETER])
    form = PersonListForm(request.GET)
    if not form.is_valid():
        raise BadRequest(form.errors)
    if not form.cleaned_data["q"]:
        raise BadRequest({"q": ["Bitte gib einen Namen ein."]})
    people = Person.objects.published().search(form.cleaned_data["q"]).with_known_for()
    page = page_of(request, people)
    link = request.build_absolute_uri
    return listing(
        request,
        page,
        [
            person_ref(person)
            | {
                "known_from": person.known_from,
                "url": link(person.get_absolute_url()),
                "api_url": link(remembered_reverse("api:person-detail", slug=person.slug)),
            }
            for person in page.object_list
        ],
    )


@read(
    router,
    "/personen/{slug:slug}/",
    response={200: PersonDetail, 301: None, 404: Problem},
    summary="Eine Person",
    description=(
        "Eine Person mit ihren Lebensdaten, ihrer Biografie und ihrer Filmografie nach "
        "Funktion (Regie, Darsteller, Synchronstimme, …), die neuesten Filme zuerst; nur "
        "veröffentlichte Filme. Wer nur in Entwürfen vorkommt, ist hier nicht zu finden (404). "
        "Eine alte Adresse leitet mit 301 weiter."
    ),
    url_name="person-detail",
)
def person_detail(
    request: HttpRequest,
    slug: str = Path(
        ...,
        description="Der Slug der Person, wie in ihrer Adresse auf der Website.",
        examples=["marion-cotillard"],
    ),
):
    refuse_unknown(request, [])
    try:
        person = Person.objects.published().for_detail().get(slug=slug)
    except Person.DoesNotExist:
        # A changed slug, as the person page answers it.
        moved = get_object_or_404(
            PersonRedirect.objects.filter(person__in=Person.objects.published()).select_related(
                "person"
            ),
            old_slug=slug,
        )
        return redirect(
            remembered_reverse("api:person-detail", slug=moved.person.slug), permanent=True
        )
    link = request.build_absolute_uri
    return {
        **{
            name: getattr(person, name)
            for name in [
                "slug",
                "name",
                "birth_date",
                "birth_year",
                "birth_place",
                "death_date",
                "death_year",
                "death_place",
                "bio",
                "imdb_id",
            ]
        },
        "photo": image_data(request, person.photo, person.photo_width, person.photo_credit),
        "url": link(person.get_absolute_url()),
        # Grouped as the person page groups them (its headings are German; each group's
        # credits share the role).
        "filmography": [
            {"role": credits[0].role, "credits": [_credit(request, credit) for credit in credits]}
            for _, credits in person.filmography()
        ],
    }


def _credit(request: HttpRequest, credit: Credit) -> dict:
    return {
        "film": film_ref(request, credit.film),
        "character": credit.character,
        "voices": person_ref(credit.voices.person) if credit.voices else None,
    }
