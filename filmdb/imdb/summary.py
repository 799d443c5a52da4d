"""What an import did: rows added, updated, skipped and bad, and the seconds per step."""

import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from filmdb.imdb.reader import Problems


@dataclass
class Summary:
    added: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    problems: Problems = field(default_factory=Problems)
    seconds: dict[str, float] = field(default_factory=dict)
    rows: Counter = field(default_factory=Counter)


@contextmanager
def timed(summary: Summary, step: str) -> Iterator[None]:
    started = time.monotonic()
    try:
        yield
    finally:
        summary.seconds[step] = summary.seconds.get(step, 0.0) + time.monotonic() - started
