from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from films.models import Film


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    films = Film.objects.published().order_by("-created_at")[:12]
    return render(request, "home.html", {"films": films})
