"""Reading pages as a visitor sees them."""

import json
import re
from html import unescape

import markupsafe
from django.utils import html as django_html


def page_text(response) -> str:
    return response.content.decode()


def visible_text(html: str) -> str:
    """The page's text without tags, scripts and repeated whitespace."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"</?(a|span|strong|em|time)\b[^>]*>", "", html)  # inline: no space
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def shown_escaped(text: str, html: str) -> bool:
    """Whether `text` is on the page escaped: as Jinja2 escapes (&#34; for a quote) in the
    public templates, or as Django does (&quot;) in form widgets and linebreaks."""
    return markupsafe.escape(text) in html or django_html.escape(text) in html


def json_ld(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)
    return [json.loads(block) for block in blocks]


def film_card_titles(html: str) -> list[str]:
    """The titles of the film cards, in page order."""
    return [
        unescape(title)
        for title in re.findall(r'<h3 class="film-card__title"><a [^>]*>(.*?)</a>', html)
    ]


def listed_people(html: str) -> list[str]:
    """The names in a person search's result list, in page order."""
    results = re.search(r'<ul class="person-list">(.*?)</ul>', html, flags=re.S)
    return [unescape(name) for name in re.findall(r"<li><a [^>]*>(.*?)</a>", results.group(1))]
