"""The Nu Html Checker (vnu) finds no errors on any kind of public page."""

import pytest

from tests.browser.pages import PUBLIC_PAGES
from tests.browser.vnu import vnu_errors

pytestmark = pytest.mark.browser


def test_nu_html_checker_finds_no_errors_on_any_public_page(
    client, demo_film, rated_film, vnu_command, tmp_path
):
    pages = {}
    for name, url in PUBLIC_PAGES.items():
        response = client.get(url)
        assert response.status_code == (404 if name == "page not found" else 200), url
        pages[f"{name} ({url})"] = response.content

    errors = vnu_errors(vnu_command, pages, tmp_path)
    assert not errors, "vnu found errors:\n" + "\n".join(errors)
