from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from people.models import Person, PersonRedirect
from people.structured_data import person_data


@require_GET
def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        person = Person.objects.for_detail(with_drafts=request.user.is_staff).get(slug=slug)
    except Person.DoesNotExist:
        moved = get_object_or_404(PersonRedirect.objects.select_related("person"), old_slug=slug)
        return redirect(moved.person, permanent=True)
    context = {
        "person": person,
        "filmography": person.filmography(),
        "person_data": person_data(request, person),
    }
    return render(request, "people/person_detail.html", context)
