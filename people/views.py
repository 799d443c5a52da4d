from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from filmdb.lib.folding import query_words
from filmdb.lib.page_cache import cache_for_visitors
from filmdb.lib.pagination import CappedCountPaginator
from filmdb.lib.timeouts import search_time_limit, timeout_json
from films.filters import CREDIT_ROLES
from people.forms import PersonSearchForm
from people.models import Person, PersonRedirect
from people.structured_data import person_data

PEOPLE_PER_PAGE = 20
SUGGESTIONS = 10
# Fewer letters than this cannot use the trigram index and suggest too much to be useful.
MIN_SUGGESTION_LETTERS = 3


@require_safe
@cache_for_visitors
def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    people = Person.objects.visible_to(request.user)
    try:
        person = people.for_detail(with_drafts=request.user.is_staff).get(slug=slug)
    except Person.DoesNotExist:
        redirects = PersonRedirect.objects.filter(person__in=people).select_related("person")
        moved = get_object_or_404(redirects, old_slug=slug)
        return redirect(moved.person, permanent=True)
    context = {
        "person": person,
        "filmography": person.filmography(),
        "person_data": person_data(request, person),
        "draft": not person.is_published,
        "scheduled": person.scheduled_for,
    }
    return render(request, "people/person_detail.html", context)


@require_safe
@cache_for_visitors
@search_time_limit
def person_list(request: HttpRequest) -> HttpResponse:
    form = PersonSearchForm(request.GET)
    people = Person.objects.none()
    query = ""
    if form.is_valid() and form.cleaned_data["q"]:
        query = form.cleaned_data["q"]
        people = Person.objects.published().search(query).with_known_for()
    page = CappedCountPaginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("seite"))
    context = {
        "form": form,
        "page": page,
        "query": query,
        "querystring": urlencode({"q": query}) if query else "",
    }
    return render(request, "people/person_list.html", context)


@require_safe
@cache_for_visitors
@search_time_limit(timed_out=timeout_json)
def person_autocomplete(request: HttpRequest) -> JsonResponse:
    """Up to 10 people for the search form, names starting with the query first."""
    form = PersonSearchForm(request.GET)
    if not form.is_valid():
        messages = [message for errors in form.errors.values() for message in errors]
        return JsonResponse({"error": " ".join(messages)}, status=400)
    query, role = form.cleaned_data["q"], CREDIT_ROLES.get(form.cleaned_data["rolle"])
    if sum(len(word) for word in query_words(query)) < MIN_SUGGESTION_LETTERS:
        return JsonResponse({"results": []})
    people = Person.objects.search(query)
    people = people.with_role(role) if role else people.published()
    results = [
        {
            "name": person.name,
            "slug": person.slug,
            "url": person.get_absolute_url(),
            "known_for": (
                f"{person.known_for_title} ({person.known_for_year})"
                if person.known_for_year
                else person.known_for_title or ""
            ),
        }
        for person in people.with_known_for(role)[:SUGGESTIONS]
    ]
    return JsonResponse({"results": results})
