"""The API's one NinjaAPI, with each topic's endpoints: included at /api/v1/ by
filmdb/urls.py."""

from filmdb.api import change_views, film_views, list_views, person_views, problems

# Where filmdb/urls.py includes the API.
API_PREFIX = "api/v1/"

api = problems.ProblemsAPI(
    title="filmdb API",
    version="1",
    description=(
        "Die öffentliche Schnittstelle von filmdb: Filme mit deutschem Titel, FSK, Kinostart, "
        "Verleih, Besetzung mit deutschen Synchronstimmen und Kritiken. Nur lesend, als JSON; "
        "Feldnamen englisch, Parameter wie auf der Website."
    ),
    urls_namespace="api",
)
problems.register(api)
api.add_router("", film_views.router)
api.add_router("", list_views.router)
api.add_router("", person_views.router)
api.add_router("", change_views.router)
