"""The Nu Html Checker (vnu) over pages as the server sent them."""

import json
import subprocess
from pathlib import Path


def vnu_errors(vnu_command: list[str], pages: dict[str, bytes], folder: Path) -> list[str]:
    """The errors vnu finds in `pages` (name: served HTML), each naming its page and line.

    One Java start for all pages; vnu exits 1 when it finds errors, which are returned.
    """
    files = {}
    for number, (name, html) in enumerate(pages.items()):
        path = folder / f"page-{number}.html"
        path.write_bytes(html)
        files[path.name] = name
    checked = subprocess.run(
        [*vnu_command, "--format", "json", "--stdout", *map(str, sorted(folder.glob("*.html")))],
        capture_output=True,
        text=True,
        timeout=120,
    )
    errors = [
        f"{files.get(message.get('url', '').rsplit('/', 1)[-1], '?')}, "
        f"line {message.get('lastLine', '?')}: "
        f"{message['message']} {message.get('extract', '').strip()}"
        for message in json.loads(checked.stdout)["messages"]
        if message["type"] in {"error", "non-document-error"}
    ]
    assert errors or checked.returncode == 0, checked.stderr
    return errors
