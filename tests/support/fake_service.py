"""A tiny real HTTP/1.1 server in a thread that stands in for a service behind the gateway.

It records every request line it reads, exactly as sent (the raw target), and can be told to drop
a keep-alive connection: after `answers_per_connection` answers on one connection it reads the next
request and closes the socket without a reply. That is the moment a real service's idle-connection
close races the gateway's next request, made deterministic.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO


@dataclass(frozen=True)
class SeenRequest:
    method: str
    target: str  # the raw request target, percent-encoding untouched
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)  # names lower-cased


@dataclass
class FakeService:
    status: int = 200
    answers_per_connection: int | None = None  # None: keep every connection alive
    headers: list[tuple[str, str]] = field(default_factory=list)  # added to every answer
    body: bytes | None = None  # the answer's body; None: the request line as JSON
    seen: list[SeenRequest] = field(default_factory=list)
    connections: int = 0
    _listener: socket.socket = field(default_factory=socket.socket)

    @property
    def url(self) -> str:
        host, port = self._listener.getsockname()
        return f"http://{host}:{port}"

    def targets(self) -> list[str]:
        return [r.target for r in self.seen]

    def serve(self) -> None:
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        threading.Thread(target=self._accept_loop, daemon=True).start()

    def close(self) -> None:
        self._listener.close()

    def _accept_loop(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:  # the listener was closed: the test is over
                return
            self.connections += 1
            threading.Thread(target=self._serve_connection, args=(conn,), daemon=True).start()

    def _serve_connection(self, conn: socket.socket) -> None:
        with conn, conn.makefile("rb") as reader:
            answered = 0
            while (request := _read_request(reader)) is not None:
                self.seen.append(request)
                if self.answers_per_connection is not None and (
                    answered >= self.answers_per_connection
                ):
                    return  # read it, then hang up without a word
                body = self.body
                if body is None:
                    body = json.dumps({"method": request.method, "target": request.target}).encode()
                extra = "".join(f"{name}: {value}\r\n" for name, value in self.headers)
                head = (
                    f"HTTP/1.1 {self.status} X\r\nContent-Type: application/json\r\n{extra}"
                    f"Content-Length: {len(body)}\r\n\r\n"
                )
                conn.sendall(head.encode() + body)
                answered += 1


def _read_request(reader: BinaryIO) -> SeenRequest | None:
    line = reader.readline()
    if not line:
        return None
    method, target, _ = line.decode("latin-1").split(" ", 2)
    headers: dict[str, str] = {}
    while (header := reader.readline()) not in (b"\r\n", b""):
        name, _, value = header.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    body = reader.read(length) if length else b""
    return SeenRequest(method, target, body, headers)


@contextlib.contextmanager
def fake_service(
    status: int = 200, answers_per_connection: int | None = None,
    headers: list[tuple[str, str]] | None = None, body: bytes | None = None,
) -> Iterator[FakeService]:  # fmt: skip
    service = FakeService(
        status=status, answers_per_connection=answers_per_connection, headers=headers or [],
        body=body,
    )  # fmt: skip
    service.serve()
    try:
        yield service
    finally:
        service.close()
