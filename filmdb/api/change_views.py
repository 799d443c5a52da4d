"""The changes feed: the films and people created, changed, published, withdrawn or
deleted since a moment, read from its index (films.models.changes)."""

import base64
import binascii
import datetime
import re

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from filmdb.api.answers import read, refuse_unknown
from filmdb.api.problems import BadRequest
from filmdb.api.schemas import ChangeList, Problem
from filmdb.lib.urls import remembered_reverse
from films.models.changes import RETENTION, Change

router = Router(tags=["Änderungen"])

# Entries a page: as many as TMDB's changes feed gives; still one query.
PER_PAGE = 100
DETAIL = {Change.Kind.FILM: "api:film-detail", Change.Kind.PERSON: "api:person-detail"}


@read(
    router,
    "/aenderungen/",
    response={200: ChangeList, 400: Problem},
    summary="Änderungen seit einem Zeitpunkt",
    description=(
        "Die Filme und Personen, die seit `seit` (ISO 8601, etwa 2026-12-01T00:00:00Z; "
        "ohne Zeitzone deutsche Zeit) neu, geändert, veröffentlicht, zurückgezogen oder "
        "gelöscht wurden, höchstens 14 Tage zurück: die älteste Änderung zuerst, jedes "
        "Objekt einmal, mit seinem letzten Zeitpunkt. Entfernte (zurückgezogen, gelöscht, "
        "ein alter Slug) haben `removed`: lösch deine Kopie. 100 je Seite; `next` führt "
        "mit einem `cursor` weiter, auch wenn inzwischen Neues dazukommt. Frag beim "
        "nächsten Mal mit `seit` ein paar Minuten vor deiner letzten Abfrage."
    ),
    url_name="changes",
)
def changes(request: HttpRequest, seit: str, cursor: str | None = None):
    refuse_unknown(request, ["seit", "cursor"])
    since = _since(seit)
    after = _cursor(cursor) if cursor is not None else None
    entries = list(
        Change.objects.feed(since=since, after=after).values_list(
            "pk", "kind", "slug", "moment", "removed"
        )[: PER_PAGE + 1]
    )
    following = None
    if len(entries) > PER_PAGE:
        entries = entries[:PER_PAGE]
        pk, _kind, _slug, moment, _removed = entries[-1]
        params = request.GET.copy()
        params["cursor"] = _encode(moment, pk)
        following = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    link = request.build_absolute_uri
    return {
        "results": [
            {
                "kind": kind,
                "slug": slug,
                "moment": moment,
                "removed": removed,
                "url": None if removed else link(remembered_reverse(DETAIL[kind], slug=slug)),
            }
            for _pk, kind, slug, moment, removed in entries
        ],
        "next": following,
    }


def _since(text: str) -> datetime.datetime:
    # An offset's "+" sent unencoded arrives as a space.
    text = re.sub(r" (\d\d:?\d\d)$", r"+\1", text.strip())
    try:
        moment = datetime.datetime.fromisoformat(text)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)  # the site's time, Europe/Berlin
        # As the database compares it (9999-12-31T23:59-14:00 is no year of Python's).
        moment = moment.astimezone(datetime.UTC)
    except (ValueError, OverflowError) as error:
        raise BadRequest(
            {"seit": ["Gib einen Zeitpunkt nach ISO 8601 an, etwa 2026-12-01T00:00:00Z."]}
        ) from error
    if moment < timezone.now() - RETENTION:
        raise BadRequest({"seit": ["seit darf höchstens 14 Tage zurückliegen."]})
    return moment


def _encode(moment: datetime.datetime, pk: int) -> str:
    text = f"{moment.isoformat()}|{pk}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _cursor(text: str) -> tuple[datetime.datetime, int]:
    """The (moment, id) after which a page goes on, from the `next` link's `cursor`."""
    try:
        decoded = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
        moment_text, pk_text = decoded.split("|")
        moment, pk = datetime.datetime.fromisoformat(moment_text), int(pk_text)
        # Only what `_encode` writes: an aware moment and an id a database row can have.
        if timezone.is_naive(moment) or not 0 < pk < 2**63:
            raise ValueError(decoded)
        after = moment.astimezone(datetime.UTC), pk
    except (binascii.Error, UnicodeDecodeError, ValueError, OverflowError) as error:
        raise BadRequest(
            {"cursor": ["Diesen Cursor gibt es nicht; nimm den Link aus „next“."]}
        ) from error
    return after
