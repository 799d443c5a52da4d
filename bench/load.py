"""64 concurrent connections on film and search pages for 60 s, against gunicorn.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/filmdb_bench   # generated data
    export REDIS_URL=redis://127.0.0.1:6379/1
    .venv/bin/python bench/load.py                  # needs wrk (Debian package "wrk")

Starts gunicorn on loopback with the production settings and `make serve`'s worker count
(2 × cores + 1), page cache on, then holds --connections connections with wrk on a mix of
film pages and searches picked at random (--films of each). Reports requests, socket
errors, 5xx answers and the workers' resident memory at the start and after each round
(--rounds, to see whether it keeps growing).
"""

import argparse
import os
import random
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_pages import OUT, ROOT, SERVER_ENV, pick_urls, start_server  # noqa: I001


def worker_memory_mb(master: int) -> list[float]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024)
    return sorted(sizes)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=60, help="seconds a round")
    parser.add_argument("--rounds", type=int, default=1, help="memory is read after each")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2 * os.cpu_count() + 1)
    parser.add_argument("--films", type=int, default=2000)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    film_urls, search_urls = pick_urls(args.films, random.Random(args.seed))
    urls_file = OUT / "load-urls.txt"
    urls_file.write_text("\n".join(film_urls + search_urls) + "\n")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity=0"],
        cwd=ROOT,
        env={**os.environ, **SERVER_ENV, "DJANGO_SETTINGS_MODULE": "filmdb.settings"},
        check=True,
    )
    server = start_server(args.port, args.workers, page_cache_seconds=600)
    try:
        for url in film_urls[:50]:  # every worker has loaded its code and templates
            urllib.request.urlopen(f"http://127.0.0.1:{args.port}{url}").read()
        memory = [worker_memory_mb(server.pid)]
        outputs = []
        for _ in range(args.rounds):
            outputs.append(
                subprocess.run(
                    [
                        "wrk",
                        "-t2",
                        f"-c{args.connections}",
                        f"-d{args.duration}s",
                        "--timeout=10s",
                        "-s",
                        str(ROOT / "bench" / "count_5xx.lua"),
                        f"http://127.0.0.1:{args.port}",
                    ],
                    env={**os.environ, "URLS_FILE": str(urls_file)},
                    capture_output=True,
                    text=True,
                ).stdout
            )
            memory.append(worker_memory_mb(server.pid))
    finally:
        server.terminate()
        server.wait()

    print("\n".join(outputs))
    print(
        f"{args.workers} gunicorn workers, {args.connections} connections, "
        f"{args.rounds} × {args.duration} s, {len(film_urls)} film pages and "
        f"{len(search_urls)} searches"
    )
    requests = sum(count(r"(\d+) requests in", output) for output in outputs)
    server_errors = sum(count(r"5xx: (\d+)", output) for output in outputs)
    print(f"requests: {requests:,}")
    print(f"socket errors: {sum(socket_errors(output) for output in outputs)}")
    print(f"5xx: {server_errors}")
    for index, sizes in enumerate(memory):
        label = "start" if index == 0 else f"after {index * args.duration} s"
        print(f"worker memory, {label} (MB): {', '.join(f'{size:.0f}' for size in sizes)}")


def count(pattern: str, output: str) -> int:
    return int(re.search(pattern, output).group(1))


def socket_errors(output: str) -> int:
    found = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                      output)  # fmt: skip
    return sum(map(int, found.groups())) if found else 0


if __name__ == "__main__":
    main()
