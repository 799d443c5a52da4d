"""Streaming IMDb's TSV files row by row, counting the rows that cannot be read."""

import gzip
import io
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from filmdb.lib.validators import has_invisible_character

NULL = "\\N"
SHOWN_PROBLEMS = 20
# A NUL, another control character or a noncharacter in a value the import reads: the
# admin refuses them (validate_visible_text), PostgreSQL stores no NUL, XML takes none.
INVISIBLE = "Steuer- oder Nichtzeichen im Text"


@dataclass
class Problems:
    """Bad and skipped rows: every one counted by reason, the first 20 kept to show."""

    counts: Counter = field(default_factory=Counter)
    shown: list[str] = field(default_factory=list)

    def add(self, reason: str, file: str | None = None, line: int | None = None) -> None:
        self.counts[reason] += 1
        if file is not None and len(self.shown) < SHOWN_PROBLEMS:
            self.shown.append(f"{file}, Zeile {line}: {reason}")


class CountingReader(io.RawIOBase):
    """A file that counts the bytes read from it, for the progress display."""

    def __init__(self, raw) -> None:
        self.raw = raw
        self.position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = self.raw.readinto(buffer)
        self.position += count or 0
        return count


class Progress:
    """Rows read and rows per second: a live line on a terminal, log lines otherwise."""

    def __init__(self, out: TextIO, name: str, size: int) -> None:
        self.out, self.name, self.size = out, name, max(size, 1)
        self.live = out.isatty() if hasattr(out, "isatty") else False
        self.started = self.shown = time.monotonic()
        self.rows = 0

    def update(self, rows: int, position: int) -> None:
        self.rows = rows
        now = time.monotonic()
        if now - self.shown < (0.25 if self.live else 10):
            return
        self.shown = now
        percent = min(100, position * 100 // self.size)
        line = (
            f"{self.name}: {percent:3d} % {self._bar(percent)} "
            f"{rows:,} Zeilen, {self.rate():,.0f} Zeilen/s"
        )
        if self.live:
            self.out.write(f"\r{line}")
        else:
            self.out.write(f"{line}\n")
        self.out.flush()

    def rate(self) -> float:
        return self.rows / max(time.monotonic() - self.started, 1e-9)

    def done(self) -> None:
        seconds = time.monotonic() - self.started
        line = f"{self.name}: {self.rows:,} Zeilen in {seconds:.1f} s ({self.rate():,.0f} Zeilen/s)"
        self.out.write(f"\r{line}\033[K\n" if self.live else f"{line}\n")
        self.out.flush()

    def _bar(self, percent: int) -> str:
        return "[" + "#" * (percent // 5) + "." * (20 - percent // 5) + "]" if self.live else ""


def find_file(directory: Path, name: str) -> Path | None:
    """`name`.tsv or `name`.tsv.gz in `directory`."""
    for candidate in (directory / f"{name}.tsv", directory / f"{name}.tsv.gz"):
        if candidate.is_file():
            return candidate
    return None


def read_rows(
    path: Path, columns: list[str], *, problems: Problems, out: TextIO = sys.stdout
) -> Iterator[tuple[int, list[str | None]]]:
    """(line number, [value or None for each of `columns`]) for every well-formed row.

    The whole file is never in memory. A UTF-8 byte-order mark is dropped; `\\N` becomes
    None. Rows with too few or too many fields, or with a character no page may show in
    one of `columns` (a NUL in a column not read harms nothing), are counted in
    `problems` and skipped.
    """
    raw = open(path, "rb")  # noqa: SIM115 - closed with the text wrapper below
    counter = CountingReader(raw)
    binary = io.BufferedReader(counter, buffer_size=1 << 20)
    stream = gzip.GzipFile(fileobj=binary) if path.suffix == ".gz" else binary
    # Only "\n" ends a row: a stray "\r" inside a title must not split it.
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="\n")
    progress = Progress(out, path.name, path.stat().st_size)
    try:
        header = text.readline().rstrip("\r\n").split("\t")
        missing = [column for column in columns if column not in header]
        if missing:
            problems.add(f"{path.name}: Spalten fehlen ({', '.join(missing)})", path.name, 1)
            return
        indexes = [header.index(column) for column in columns]
        width = len(header)
        rows = 0
        for number, line in enumerate(text, start=2):
            fields = line.rstrip("\r\n").split("\t")
            rows += 1
            if rows % 50_000 == 0:
                progress.update(rows, counter.position)
            if len(fields) != width:
                problems.add(f"{len(fields)} statt {width} Spalten", path.name, number)
                continue
            values = [None if fields[index] == NULL else fields[index] for index in indexes]
            # The whole row first: one call in C for nearly every row.
            if has_invisible_character("".join(fields)) and any(
                value and has_invisible_character(value) for value in values
            ):
                problems.add(INVISIBLE, path.name, number)
                continue
            yield number, values
        progress.rows = rows
    finally:
        progress.done()
        text.close()
