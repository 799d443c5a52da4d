"""Reading pages as a visitor sees them."""

import json
import re
from html import unescape


def page_text(response) -> str:
    return response.content.decode()


def visible_text(html: str) -> str:
    """The page's text without tags, scripts and repeated whitespace."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"</?(a|span|strong|em|time)\b[^>]*>", "", html)  # inline: no space
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def json_ld(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)
    return [json.loads(block) for block in blocks]
