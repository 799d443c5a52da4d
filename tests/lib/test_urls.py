"""Remembered URLs read as reverse() gives them, wherever the site is mounted."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from filmdb.lib.urls import remembered_reverse, slug_urls


def test_a_remembered_url_is_the_one_reverse_gives():
    assert remembered_reverse("films:list") == reverse("films:list")
    assert remembered_reverse("people:detail", slug="marion-cotillard") == reverse(
        "people:detail", kwargs={"slug": "marion-cotillard"}
    )


def test_a_site_mounted_under_a_prefix_links_under_it():
    assert remembered_reverse("films:detail", slug="inception-2010") == "/filme/inception-2010/"
    set_script_prefix("/filmdb/")
    try:
        assert remembered_reverse("films:detail", slug="inception-2010") == (
            "/filmdb/filme/inception-2010/"
        )
    finally:
        set_script_prefix("/")
    assert remembered_reverse("films:detail", slug="inception-2010") == "/filme/inception-2010/"


def test_a_url_by_slug_is_the_one_reverse_gives_for_every_slug():
    for slug in ["a", "marion-cotillard", "Film_2012-1", "x" * 200]:
        assert remembered_reverse("people:detail", slug=slug) == reverse(
            "people:detail", kwargs={"slug": slug}
        )


def test_a_value_that_is_no_slug_is_refused_as_reverse_refuses_it():
    for value in ["marion cotillard", "märchen", "a/b", ""]:
        with pytest.raises(NoReverseMatch):
            reverse("people:detail", kwargs={"slug": value})
        with pytest.raises(NoReverseMatch):
            remembered_reverse("people:detail", slug=value)


def test_a_url_by_number_is_the_one_reverse_gives():
    # /admin/…/<path:object_id>/change/ takes the placeholder; a URL by a number does not.
    assert remembered_reverse("admin:films_film_change", object_id=7) == reverse(
        "admin:films_film_change", args=[7]
    )


def test_a_pages_urls_by_slug_are_the_ones_reverse_gives_under_the_prefix_of_their_page():
    person_url = slug_urls("people:detail")
    for slug in ["a", "marion-cotillard", "Film_2012-1"]:
        assert person_url(slug) == reverse("people:detail", kwargs={"slug": slug})
    with pytest.raises(NoReverseMatch):
        person_url("märchen")
    genre_url = slug_urls("browse:genre")  # takes any text: reversed as reverse() does
    assert genre_url("komödie") == reverse("browse:genre", kwargs={"slug": "komödie"})
    set_script_prefix("/filmdb/")
    try:
        assert slug_urls("people:detail")("ida") == "/filmdb/personen/ida/"
    finally:
        set_script_prefix("/")
