"""Servers that misbehave on purpose, on ports the OS hands out: one that accepts
connections and never answers (a hung or blackholed PostgreSQL or Redis), and a port
that refuses every connection (a stopped one)."""

import contextlib
import socket
import threading
from collections.abc import Iterator


class SilentServer:
    """Accepts connections on 127.0.0.1 and never sends a byte."""

    def __init__(self) -> None:
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self._listener.settimeout(0.05)
        self.port = self._listener.getsockname()[1]
        self.connections: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            self.connections.append(connection)

    def __enter__(self) -> "SilentServer":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for connection in [*self.connections, self._listener]:
            connection.close()


@contextlib.contextmanager
def refusing_port() -> Iterator[int]:
    """A port that is taken but not listening: connections to it are refused at once."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        yield taken.getsockname()[1]
