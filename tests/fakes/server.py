"""A real HTTP server on 127.0.0.1 in a background thread, for the upstream fakes.

Fakes subclass ``FakeHandler`` and implement ``respond``; the server carries the fake itself
(``self.fake``), its latency and a queue of scripted failures.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    delay_after: float = 0.0


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes = b""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256
    fake: Any


class FakeHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so clients can pool connections
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed ACK
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: tests read ``fake.requests`` instead."""

    request_body: bytes = b""

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_PUT(self) -> None:
        self._serve("PUT")

    def _serve(self, method: str) -> None:
        fake: FakeUpstream = self.server.fake
        length = int(self.headers.get("Content-Length") or 0)
        self.request_body = self.rfile.read(length) if length else b""
        headers = {k: v for k, v in self.headers.items()}
        fake.record(RecordedRequest(method, self.path, headers, self.request_body))
        with fake.concurrency(self):
            if fake.latency:
                time.sleep(fake.latency)
            reply = fake.next_failure() or fake.respond(self)
        if reply.delay_after:
            # Answer late: a client with a shorter timeout gives up although the work was done.
            time.sleep(reply.delay_after)
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        try:
            self.end_headers()
            self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up waiting (a timeout test)


class FakeUpstream:
    """Shared machinery: the server thread, latency, scripted failures, recorded requests."""

    handler: ClassVar[type[FakeHandler]] = FakeHandler
    base_path: ClassVar[str] = "/"

    def __init__(self, latency: float = 0.0) -> None:
        self.latency = latency
        self.requests: list[RecordedRequest] = []
        self._failures: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FakeUpstream:
        server = _Server(("127.0.0.1", 0), self.handler)
        server.fake = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=type(self).__name__
        )
        self._thread.daemon = True
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the fake first"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}{self.base_path}"

    # -- scripting ---------------------------------------------------------------------------

    def fail_next(self, reply: Reply, times: int = 1) -> None:
        """The next ``times`` requests (any account) get ``reply`` instead of an answer."""
        with self._lock:
            self._failures.extend([reply] * times)

    def next_failure(self) -> Reply | None:
        with self._lock:
            return self._failures.popleft() if self._failures else None

    def record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    @contextmanager
    def concurrency(self, handler: FakeHandler) -> Iterator[None]:
        """Hook around the handling of one request (the Netvisor fake counts overlaps)."""
        yield

    def respond(self, handler: FakeHandler) -> Reply:
        raise NotImplementedError


@contextmanager
def running(fake: FakeUpstream) -> Iterator[Any]:
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()
