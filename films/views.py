from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from films.models import Film


@require_GET
def film_detail(request: HttpRequest, slug: str) -> HttpResponse:
    films = Film.objects.all() if request.user.is_staff else Film.objects.published()
    film = get_object_or_404(films, slug=slug)
    return render(request, "films/film_detail.html", {"film": film})
