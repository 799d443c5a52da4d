"""The film search's filters fold behind "Filter" (on phones), whose summary counts those
in use; the search field stays outside the fold."""

import re

import pytest

from tests.pages import page_text


def filters(client, query: str) -> tuple[str, str]:
    """The opening tag of the filters' <details> and its summary's text."""
    html = page_text(client.get("/filme/" + query))
    found = re.search(
        r"(<details class=\"search-form__filters\"[^>]*>)\s*<summary>(.*?)</summary>", html
    )
    return found.group(1), found.group(2)


@pytest.mark.parametrize(
    ("query", "summary"),
    [
        ("", "Filter"),
        ("?q=rost", "Filter"),
        ("?q=rost&genre=drama&fsk=12", "Filter (2)"),
        ("?regie=audiard&jahr_von=2000&jahr_bis=2020", "Filter (3)"),
        # Two names in one field are one filter; the order is none.
        ("?darsteller=cotillard&darsteller=schoenaerts&sortierung=titel", "Filter (1)"),
        ("?genre=&fsk=&regie=", "Filter"),
    ],
)
def test_the_summary_counts_the_filters_in_use(client, demo_film, query, summary):
    opening, text = filters(client, query)
    assert text == summary
    assert " open" not in opening


def test_a_wrong_entry_in_a_folded_filter_opens_them_so_that_its_error_shows(client, demo_film):
    opening, text = filters(client, "?jahr_von=abc")
    assert opening == '<details class="search-form__filters" open>'
    assert text == "Filter (1)"


def test_the_search_field_is_outside_the_fold_and_every_filter_inside(client, demo_film):
    html = page_text(client.get("/filme/?q=rost"))
    fold = re.search(r"<details class=\"search-form__filters\".*?</details>", html, flags=re.S)
    outside = html[: fold.start()] + html[fold.end() :]
    assert 'name="q"' in outside
    assert 'name="q"' not in fold.group(0)
    for name in ["regie", "darsteller", "jahr_von", "jahr_bis", "genre", "fsk", "sortierung"]:
        assert f'name="{name}"' in fold.group(0)
        assert f'name="{name}"' not in outside
