"""Profile one page as gunicorn would run it, with the page cache off.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/filmdb_bench   # generated data
    .venv/bin/pip install -e ".[bench]"
    .venv/bin/python bench/profile_page.py /filme/<slug>/ --requests 200

Calls the WSGI application directly with the production settings (DEBUG off) and prints
the mean time per request, then pyinstrument's call tree of the same requests.
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT)]
os.environ.update(
    DJANGO_SETTINGS_MODULE="http_settings",
    DJANGO_DEBUG="0",
    DJANGO_SECRET_KEY="profile-only-secret-key-not-for-production-0123456789",
    DJANGO_SECURE_SSL_REDIRECT="0",
    DJANGO_SECURE_HSTS_SECONDS="0",
    DJANGO_PAGE_CACHE_SECONDS="0",
    DJANGO_ALLOWED_HOSTS="127.0.0.1",
)
os.environ.setdefault("DJANGO_STATIC_ROOT", str(ROOT / "bench" / "out" / "static"))

from django.core.wsgi import get_wsgi_application  # noqa: E402
from pyinstrument import Profiler  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url", help="path and query, e.g. /filme/<slug>/")
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    application = get_wsgi_application()
    path, _, query = args.url.partition("?")

    def request() -> None:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
        }
        statuses = []
        body = b"".join(application(environ, lambda status, headers: statuses.append(status)))
        assert statuses[0].startswith("200"), (statuses[0], body[:500])

    request()  # templates loaded, connections open
    started = time.perf_counter()
    for _ in range(args.requests):
        request()
    print(f"{args.url}: {(time.perf_counter() - started) / args.requests * 1000:.2f} ms a request")
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(args.requests):
            request()
    print(profiler.output_text(color=False, unicode=True))


if __name__ == "__main__":
    main()
