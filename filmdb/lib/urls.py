"""reverse(), remembered per process: pages link the same URLs over and over.

A film page links every credited person (twice, with the JSON-LD) and every page links the
same few pages; reverse() costs more than the rest of each link's rendering.
"""

import functools

from django.urls import get_script_prefix, reverse


def remembered_reverse(viewname: str, **kwargs) -> str:
    """The URL of `viewname` with `kwargs`, as reverse() gives it."""
    return _remembered(viewname, tuple(kwargs.items()), get_script_prefix())


# Keyed by the script prefix too: the same view has another URL under another prefix.
# Capped, so that the URLs of a million films cannot fill a worker's memory.
@functools.lru_cache(maxsize=20_000)
def _remembered(viewname: str, kwargs: tuple, script_prefix: str) -> str:
    return reverse(viewname, kwargs=dict(kwargs) or None)
