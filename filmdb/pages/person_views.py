from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from filmdb.lib.folding import query_words
from filmdb.lib.page_cache import cache_for_visitors
from filmdb.lib.pagination import CappedCountPaginator
from filmdb.lib.timeouts import search_time_limit, timeout_json
from filmdb.pages.filters import CREDIT_ROLES
from filmdb.pages.forms import PersonListForm, PersonSearchForm
from filmdb.pages.search import suggest_person_name
from filmdb.pages.structured_data import person_data
from filmdb.pages.suggestions import film_suggestions, people_suggestions
from people.models import Person, PersonRedirect

PEOPLE_PER_PAGE = 20
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
        "known_for": person.known_for(),
        "person_data": person_data(request, person),
        "draft": not person.is_published,
        "scheduled": person.scheduled_for,
    }
    return render(request, "people/person_detail.html", context)


@require_safe
@cache_for_visitors
@search_time_limit
def person_list(request: HttpRequest) -> HttpResponse:
    form = PersonListForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    people = Person.objects.published().search(query).with_known_for()
    page = CappedCountPaginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("seite"))
    nearest = suggest_person_name(query) if query and not page.object_list else None
    context = {
        "form": form,
        "page": page,
        "query": query,
        "querystring": urlencode({"q": query}) if query else "",
        "suggestion": nearest and {"name": nearest, "querystring": urlencode({"q": nearest})},
    }
    return render(request, "people/person_list.html", context)


@require_safe
@cache_for_visitors
@search_time_limit(timed_out=timeout_json)
def person_autocomplete(request: HttpRequest) -> JsonResponse:
    """Suggestions for the search fields: up to 10 people (`results`), names starting
    with the query first; without a role (or `nur=personen`) also up to 4 films by title
    (`films`)."""
    form = PersonSearchForm(request.GET)
    if not form.is_valid():
        messages = [message for errors in form.errors.values() for message in errors]
        return JsonResponse({"error": " ".join(messages)}, status=400)
    query, role = form.cleaned_data["q"], CREDIT_ROLES.get(form.cleaned_data["rolle"])
    if sum(len(word) for word in query_words(query)) < MIN_SUGGESTION_LETTERS:
        return JsonResponse({"results": [], "films": []})
    films = [] if role or form.cleaned_data["nur"] else film_suggestions(query)
    return JsonResponse({"results": people_suggestions(query, role), "films": films})
