"""Remembered URLs read as reverse() gives them, wherever the site is mounted."""

from django.urls import reverse, set_script_prefix

from filmdb.lib.urls import remembered_reverse


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
