"""reverse(), remembered per process: pages link the same URLs over and over.

A film page links every credited person (twice, with the JSON-LD) and a search page some
hundred people and films; reverse() costs more than the rest of each link's rendering.
"""

import functools
import re
from collections.abc import Callable

from django.urls import NoReverseMatch, get_script_prefix, reverse

# A slug's characters, which reverse() puts into a URL as they are.
SLUG = re.compile(r"[-a-zA-Z0-9_]+")
# Stands for the slug in a view's remembered URL: a slug with each kind of its
# characters, so that only a converter taking any slug takes it.
PLACEHOLDER = "Remembered_Slug-0"


def remembered_reverse(viewname: str, **kwargs) -> str:
    """The URL of `viewname` with `kwargs`, as reverse() gives it.

    A URL by one slug is the view's URL for a placeholder slug with the slug put in its
    place: at two million people, a page's links are mostly to URLs never built before.
    """
    script_prefix = get_script_prefix()
    if len(kwargs) == 1:
        [(name, value)] = kwargs.items()
        if isinstance(value, str) and SLUG.fullmatch(value):
            around = _around_slug(viewname, name, script_prefix)
            if around is not None:
                return around[0] + value + around[1]
    return _remembered(viewname, tuple(kwargs.items()), script_prefix)


def slug_urls(viewname: str, name: str = "slug") -> Callable[[str], str]:
    """remembered_reverse(viewname, **{name: slug}) for the many slugs of one page: the
    script prefix is read once, not for each link (it is kept per request, in a context
    variable that takes longer to read than the rest of a link)."""
    script_prefix = get_script_prefix()
    around = _around_slug(viewname, name, script_prefix)

    def url(slug: str) -> str:
        if around is not None and SLUG.fullmatch(slug):
            return around[0] + slug + around[1]
        return _remembered(viewname, ((name, slug),), script_prefix)

    return url


# Keyed by the script prefix too: the same view has another URL under another prefix.
@functools.lru_cache(maxsize=100)
def _around_slug(viewname: str, name: str, script_prefix: str) -> tuple[str, str] | None:
    """The URL of `viewname` before and after its slug `name`; None where the URL takes
    no slug there."""
    try:
        url = reverse(viewname, kwargs={name: PLACEHOLDER})
    except NoReverseMatch:
        return None
    before, _, after = url.partition(PLACEHOLDER)
    return before, after


class TextConverter:
    """A path segment of any text but NUL (`<text:slug>`): the text a view looks up as it
    is given (a genre's slug, which need not be ASCII), where PostgreSQL refuses a NUL in
    any text it compares. A NUL makes the address match no route: 404, no query."""

    regex = "[^/\x00]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


# Capped, so that the URLs of a million films cannot fill a worker's memory.
@functools.lru_cache(maxsize=20_000)
def _remembered(viewname: str, kwargs: tuple, script_prefix: str) -> str:
    return reverse(viewname, kwargs=dict(kwargs) or None)
