"""The Jinja2 environment of the public pages (templates/).

Jinja2 compiles templates to Python functions; Django's template language interprets a
node tree and looks every variable up through several fallbacks. The film page rendered in
2.3 ms as a Django template and in 0.6-0.7 ms as Jinja2 (docs/benchmarks.md). The
admin and the form widgets keep Django's templates (filmdb/templates/).

The filters named like Django's behave like Django's: they call the same functions, so
dates are German and in the site's time zone, and numbers are localised.
"""

import functools
import json
from datetime import date as datetime_date
from datetime import datetime

from django.template import defaultfilters
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language
from jinja2 import Environment, pass_context

from filmdb.lib.images import rendition_url, scaled_height, srcset
from filmdb.lib.urls import remembered_reverse


@pass_context
def absolute_url(context, path: str) -> str:
    """`path` as an absolute URL on the host the page was requested from."""
    return context["request"].build_absolute_uri(path)


def responsive_image(
    field_file,
    width: int | None,
    height: int | None,
    *,
    alt: str,
    display_width: int,
    sizes: str,
    css_class: str = "",
    lazy: bool = False,
) -> SafeString | str:
    """An <img> of a stored image's WebP renditions with srcset, sizes, width and height.

    Lazy images load as they near the viewport; the others load at once with high priority
    (the film page's poster is its largest image).
    """
    src = rendition_url(field_file, width, display_width)
    if not src:
        return ""
    loading = ("loading", "lazy") if lazy else ("fetchpriority", "high")
    return format_html(
        '<img class="{}" src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" {}="{}">',
        css_class,
        src,
        srcset(field_file, width),
        sizes,
        display_width,
        scaled_height(width, height, display_width),
        alt,
        *loading,
    )


def json_ld(data: dict) -> SafeString:
    """A schema.org JSON-LD block; <, > and & are escaped so no text can end the script."""
    # As in Django's json_script: no "</script>" or "<!--" can appear inside the block.
    text = (
        json.dumps(data, ensure_ascii=False)
        .replace("<", "\\u003C")
        .replace(">", "\\u003E")
        .replace("&", "\\u0026")
    )
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def date(value, format_string: str) -> str:
    value = template_localtime(value)
    if format_string == "Y-m-d" and value:
        # The machine-readable half of a page's dates (<time datetime>), without Django's
        # format machinery.
        return (value.date() if isinstance(value, datetime) else value).isoformat()
    if type(value) is datetime_date:
        return _day(value, format_string, get_language())
    return defaultfilters.date(value, format_string)


@functools.lru_cache(maxsize=4096)
def _day(day: datetime_date, format_string: str, language: str) -> str:
    """A day, formatted once for each format and language: a list of Kinostarts names
    the same few Thursdays on most of its cards (Django's names of days and months are
    looked up in the translations each time, a tenth of the page's time)."""
    return defaultfilters.date(day, format_string)


def floatformat(value, arg=-1) -> str:
    if type(value) in (int, float):
        return _number(value, arg, get_language())
    return defaultfilters.floatformat(value, arg)


@functools.lru_cache(maxsize=4096)
def _number(value: float, arg, language: str) -> str:
    """A number as Django's floatformat gives it, once for each value: the Bestenliste's
    averages are few (Django's formatting took a tenth of its cards' time)."""
    return defaultfilters.floatformat(value, arg)


def linebreaks(value) -> str:
    return defaultfilters.linebreaks_filter(value, autoescape=True)


def nothing_for_none(value):
    """None prints as nothing, as in Django's templates (Jinja2 would print "None")."""
    return "" if value is None else value


def environment(**options) -> Environment:
    env = Environment(**options, finalize=nothing_for_none)
    env.globals.update(
        # The same few files on every page, under hashed names fixed per deployment.
        static=functools.lru_cache(maxsize=100)(static),
        url=remembered_reverse,
        absolute_url=absolute_url,
        responsive_image=responsive_image,
    )
    env.filters.update(
        date=date,
        floatformat=floatformat,
        json_ld=json_ld,
        linebreaks=linebreaks,
        pluralize=defaultfilters.pluralize,
        truncatechars=defaultfilters.truncatechars,
        truncatewords=defaultfilters.truncatewords,
    )
    return env
