"""The Kritiken and Kinostarts pages link their Atom feeds where visitors see them, not
only in the page head."""

import re

import pytest
from django.urls import reverse

from tests.pages import page_text, visible_text


@pytest.mark.parametrize(
    "page, text",
    [
        ("reviews:list", "Neue Kritiken als RSS-Feed abonnieren"),
        ("kinostarts:current", "Kinostarts als RSS-Feed abonnieren"),
    ],
)
def test_the_page_links_its_feed_visibly_and_the_link_answers(client, db, page, text):
    html = page_text(client.get(reverse(page)))
    content = html.split("<main", 1)[1]
    [link] = re.findall(r'<p class="feed-link">(<a [^>]*>.*?</a>)</p>', content)
    assert visible_text(link) == text
    href = re.search(r'href="([^"]+)"', link).group(1)
    announced = re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*>', html)
    assert f'href="{href}"' in announced.group(0)
    feed = client.get(href)
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("application/atom+xml")
