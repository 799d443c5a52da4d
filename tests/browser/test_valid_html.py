"""The Nu Html Checker (vnu) finds no errors on any kind of public page."""

import json
import subprocess
from urllib.parse import unquote, urlparse

import pytest
from django.utils.text import slugify

from tests.browser.pages import PUBLIC_PAGES

pytestmark = pytest.mark.browser


def describe(errors_by_page: dict[str, list[dict]]) -> str:
    lines = []
    for name, errors in errors_by_page.items():
        lines.append(f"{name} ({PUBLIC_PAGES.get(name, 'unknown page')}):")
        for error in errors:
            lines.append(f"  line {error.get('lastLine', '?')}: {error['message']}")
            if error.get("extract"):
                lines.append(f"    {error['extract'].strip()}")
    return "\n".join(lines)


def test_nu_html_checker_finds_no_errors_on_any_public_page(
    client, demo_film, vnu_command, tmp_path
):
    files = {}
    for name, url in PUBLIC_PAGES.items():
        response = client.get(url)
        assert response.status_code == (404 if name == "page not found" else 200), url
        path = tmp_path / f"{slugify(name)}.html"
        path.write_bytes(response.content)
        files[path.name] = name

    # One Java start for all pages; vnu exits 1 when it finds errors, which we report below.
    checked = subprocess.run(
        [*vnu_command, "--format", "json", "--stdout", *map(str, sorted(tmp_path.glob("*.html")))],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(checked.stdout)["messages"]
    errors: dict[str, list[dict]] = {}
    for message in messages:
        if message["type"] in {"error", "non-document-error"}:
            page = files.get(unquote(urlparse(message.get("url", "")).path).rsplit("/", 1)[-1])
            errors.setdefault(page or "?", []).append(message)
    assert not errors, "vnu found errors:\n" + describe(errors)
    assert checked.returncode == 0, checked.stderr
