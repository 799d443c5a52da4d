"""Errors as RFC 9457 problem details (application/problem+json) with a German `detail`."""

from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.renderers import JSONRenderer

from filmdb.lib.timeouts import timeout_message

PROBLEM_TYPE = "application/problem+json"

# Any request may be refused by the limit per address (filmdb/api/rate_limit.py), before
# its endpoint is reached.
TOO_MANY_REQUESTS = {
    "description": (
        "Zu viele Anfragen von deiner Adresse in dieser Minute; `Retry-After` nennt die "
        "Sekunden, bis die nächste Minute beginnt."
    ),
    "headers": {
        "Retry-After": {
            "description": "Sekunden bis zur nächsten Minute.",
            "schema": {"type": "integer", "minimum": 1},
        }
    },
    "content": {PROBLEM_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
}


class Renderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # "Stéphanie" as it is, not escaped


# What every answer carries (filmdb.api.answers.public), and what a 200 and a 304 carry
# for asking again with If-None-Match. A 304 carries only the headers that Django's
# ConditionalGetMiddleware copies from the answer it replaces.
EVERY_ANSWERS_HEADERS = {
    "Access-Control-Allow-Origin": {
        "description": "Jede Website darf die Antworten lesen.",
        "required": True,
        "schema": {"type": "string", "const": "*"},
    }
}
ETAG_HEADER = {
    "ETag": {
        "description": "Mit If-None-Match gibt es 304, solange sich die Antwort nicht ändert.",
        "required": True,
        "schema": {"type": "string"},
    }
}
NOT_MODIFIED = {
    "description": "Nicht geändert: die Antwort mit diesem ETag gilt noch (ohne Inhalt).",
    "headers": ETAG_HEADER,
}


class ProblemsAPI(NinjaAPI):
    """A NinjaAPI whose schema documents its errors as problem details, the limit per
    address's 429 for each operation, each operation once (a HEAD is the GET without its
    body), the headers every answer carries, and the 304 that a request with the ETag of
    an unchanged answer gets."""

    def __init__(self, **kwargs) -> None:
        super().__init__(renderer=Renderer(), **kwargs)

    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema["paths"].values():
            operations.pop("head", None)
            for operation in operations.values():
                responses = operation["responses"]
                responses[429] = dict(TOO_MANY_REQUESTS)
                for status, response in responses.items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        content[PROBLEM_TYPE] = content.pop("application/json")
                    extra = ETAG_HEADER if int(status) == 200 else {}
                    response["headers"] = (
                        response.get("headers", {}) | extra | EVERY_ANSWERS_HEADERS
                    )
                responses[304] = NOT_MODIFIED
        return schema


class BadRequest(Exception):
    """Parameters the API cannot answer: `errors` holds each parameter's messages."""

    def __init__(self, errors: dict) -> None:
        super().__init__(errors)
        self.errors = {
            name: [str(message) for message in messages] for name, messages in errors.items()
        }


def problem(status: int, title: str, detail: str, errors: dict | None = None) -> HttpResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    return JsonResponse(
        body, status=status, content_type=PROBLEM_TYPE, json_dumps_params={"ensure_ascii": False}
    )


def bad_request(request: HttpRequest, error: BadRequest) -> HttpResponse:
    messages = " ".join(
        f"{name}: {message}" for name, messages in error.errors.items() for message in messages
    )
    return problem(400, "Ungültige Parameter", f"Prüf deine Parameter. {messages}", error.errors)


def invalid_parameters(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """A parameter of the wrong type (ninja's own check)."""
    errors: dict[str, list[str]] = {}
    for item in error.errors:
        message = (
            "Dieser Parameter fehlt."
            if item["type"] == "missing"
            else "Dieser Wert passt hier nicht."
        )
        errors.setdefault(str(item["loc"][-1]), []).append(message)
    return bad_request(request, BadRequest(errors))


def too_slow(request: HttpRequest, seconds: float) -> HttpResponse:
    """A search that PostgreSQL cancelled (filmdb.lib.timeouts.search_time_limit)."""
    detail = f"{timeout_message(seconds)} Grenz deine Suche weiter ein."
    return problem(503, "Suche abgebrochen", detail)


def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return problem(404, "Nicht gefunden", "Das gibt es hier nicht (oder noch nicht).")


def database_error(request: HttpRequest, error: DatabaseError) -> HttpResponse:
    """Left to Django, as without DEBUG: a read that failed on a replica runs again on the
    primary (filmdb.lib.replica_reads), anything else is a 500."""
    raise error


def register(api: NinjaAPI) -> None:
    api.add_exception_handler(DatabaseError, database_error)
    api.add_exception_handler(BadRequest, bad_request)
    api.add_exception_handler(ValidationError, invalid_parameters)
    api.add_exception_handler(Http404, not_found)
