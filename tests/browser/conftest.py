"""Real-browser tests: Playwright driving Debian's Chromium against the site on loopback.

Chromium comes from Debian (`apt-get install chromium chromium-driver`), never from a
Playwright download; axe-core and the Nu Html Checker from npm (`npm ci`, run by
`make test`), the checker on the machine's Java. Where one of them is missing these tests
are skipped, saying what to install; with CI=true or REQUIRE_BROWSER=1 they fail instead.

The site is pytest-django's `live_server` (a thread of this process, static files served
from the finders): it sees each test's data, settings and Redis cache database.
"""

import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from reviews.models import Review

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
NODE_MODULES = ROOT / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

# Headless, and quiet on a closed network: no sandbox (CI runs as root), no GPU, and none
# of Chromium's own connections (updates, sync, QUIC probes). Playwright gives every
# launch a new, empty user-data dir and removes it afterwards.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 390, "height": 844}
# Waits for what a person would wait for; a page on loopback answers in milliseconds.
TIMEOUT_MS = 10_000


def browser_required() -> bool:
    ci = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
    return ci or bool(os.environ.get("REQUIRE_BROWSER"))


def needs(present: bool, reason: str) -> None:
    """Skip when a tool is missing, but fail where browser tests must run (CI)."""
    if present:
        return
    if browser_required():
        pytest.fail(f"{reason} (CI or REQUIRE_BROWSER is set: browser tests must run)")
    pytest.skip(reason)


class BrowserThread:
    """Chromium, driven by Playwright's sync API from a thread of its own.

    Playwright marks its asyncio loop as running in the thread that drives it. Django then
    takes that thread for async code: it refuses the ORM there and hands it database
    connections of its own, which miss the test database's saved state. So the tests keep
    the ORM in their own thread and hand the browser steps to run in this one.
    """

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chromium")
        self._local = threading.local()

    def call(self, function: Callable[..., Any], *args: Any) -> Any:
        return self._executor.submit(function, *args).result()

    def start(self) -> None:
        self.call(self._start)

    def stop(self) -> None:
        self.call(self._stop)
        self._executor.shutdown()

    def _start(self) -> None:
        from playwright.sync_api import sync_playwright

        self._local.playwright = sync_playwright().start()
        self._local.browser = self._local.playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )

    def _stop(self) -> None:
        self._local.browser.close()
        self._local.playwright.stop()

    def open_page(self, **options: Any):
        """A page in a fresh context (no cookies, no cache), German, desktop-sized."""
        context = self._local.browser.new_context(
            **{"viewport": DESKTOP, "locale": "de-DE", "timezone_id": "Europe/Berlin", **options}
        )
        context.set_default_timeout(TIMEOUT_MS)
        return context.new_page()


def keep_artifact(name: str, png: bytes) -> Path:
    """`png` kept as tests/browser/artifacts/<name>, written whole or not at all.

    Another run beside this one (a second clone's, or CI's) may write the same file at the
    same moment: each writes a file of its own and renames it into place, so a reader finds
    one run's picture, never half of one or none.
    """
    ARTIFACTS.mkdir(exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=ARTIFACTS, prefix=f".{name}.", delete=False) as part:
        part.write(png)
    path = ARTIFACTS / name
    os.replace(part.name, path)
    return path


@pytest.fixture(scope="session")
def browser_thread():
    needs(CHROMIUM.exists(), f"{CHROMIUM} is missing: apt-get install chromium chromium-driver")
    thread = BrowserThread()
    thread.start()
    yield thread
    thread.stop()


@pytest.fixture
def browse(browser_thread, request):
    """Runs `steps(page)` in the browser on a new page and returns what it returns.

    Options go to the browser context (viewport, is_mobile, ...). When the steps fail,
    a screenshot of the page is left in tests/browser/artifacts/.
    """
    runs = 0

    def run_in_browser(page_steps, **options):
        nonlocal runs
        runs += 1
        name = f"failed-{request.node.name}-{runs}.png"

        def steps():
            page = browser_thread.open_page(**options)
            try:
                return page_steps(page)
            except BaseException:
                keep_artifact(name, page.screenshot(full_page=True))
                raise
            finally:
                page.context.close()

        return browser_thread.call(steps)

    return run_in_browser


@pytest.fixture
def rated_film(make_film, critic, other_critic):
    """A published film two critics rated, with four and five stars (pages.RATED_FILM_PAGE)."""
    film = make_film("Zwei Kritiken", 2020, status="published")
    for author, rating in [(critic, 4), (other_critic, 5)]:
        Review.objects.create(
            film=film,
            author=author,
            body="Text.",
            verdict="Fazit.",
            rating=rating,
            status="published",
        )
    film.refresh_from_db()
    return film


@pytest.fixture
def site(live_server) -> str:
    """The site's address on loopback."""
    return live_server.url


@pytest.fixture(scope="session")
def axe_source() -> str:
    needs(AXE.exists(), f"{AXE.relative_to(ROOT)} is missing: npm ci")
    return AXE.read_text()


@pytest.fixture(scope="session")
def vnu_command() -> list[str]:
    java = shutil.which("java")
    needs(java is not None, "Java is missing: apt-get install default-jre-headless")
    needs(VNU.exists(), f"{VNU.relative_to(ROOT)} is missing: npm ci")
    return [java, "-jar", str(VNU)]
