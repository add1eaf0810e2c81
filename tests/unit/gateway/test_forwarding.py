"""What passes through the gateway to a real HTTP server and back: headers each way, a large body
whole and streamed, one kept-alive connection, and failures as the platform's 503s."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from gateway.clients import ServiceClient
from gateway.main import create_app
from gateway.upstream import ConnectionDropped
from shared.config import Settings
from shared.storage.migrate import upgrade
from tests.support.fake_service import FakeService, fake_service

BIG = bytes(range(256)) * 12_000  # 3 MB: many socket reads, beyond what the pool reads ahead
ANSWER_HEADERS = [
    ("Set-Cookie", "tradelab_session=abc; HttpOnly; SameSite=Strict"),
    ("Retry-After", "7"),
    ("Content-Disposition", 'attachment; filename="model-v1.zip"'),
]


@pytest.fixture(scope="module")
def service() -> Iterator[FakeService]:
    with fake_service(headers=ANSWER_HEADERS, body=BIG) as service:
        yield service


def _gateway(tmp_path: Path, redis_url: str, service_url: str, **settings: object) -> TestClient:
    settings_ = Settings(
        var_dir=tmp_path, redis_url=redis_url.rsplit("/", 1)[0] + "/5",
        trainer_url=service_url, simulator_url=service_url, **settings,  # type: ignore[arg-type]
    )  # fmt: skip
    upgrade(settings_.sqlalchemy_url)
    return TestClient(create_app(settings_))


def test_the_request_headers_reach_the_service_and_the_hop_headers_do_not(
    tmp_path: Path, redis_url: str, service: FakeService
) -> None:
    service.seen.clear()
    sent = {
        "Idempotency-Key": "k-1", "X-API-Key": "key", "Cookie": "tradelab_session=s",
        "X-CSRF-Token": "t", "Content-Type": "application/json", "Origin": "http://testserver",
        "Connection": "keep-alive",
    }  # fmt: skip
    with _gateway(tmp_path, redis_url, service.url) as client:
        client.post("/api/v1/trainings", content=b'{"a": 1}', headers=sent)
    (seen,) = service.seen
    assert seen.body == b'{"a": 1}' and seen.headers["content-length"] == "8"
    for name in ("idempotency-key", "x-api-key", "cookie", "x-csrf-token", "content-type"):
        assert seen.headers[name] == sent[next(k for k in sent if k.lower() == name)]
    assert "origin" not in seen.headers  # checked at the gateway, against its own Host
    assert "connection" not in seen.headers
    assert seen.headers["host"] == service.url.removeprefix("http://")


def test_a_large_answer_and_its_headers_come_back_whole(
    tmp_path: Path, redis_url: str, service: FakeService
) -> None:
    with _gateway(tmp_path, redis_url, service.url) as client:
        resp = client.get("/api/v1/models/m/versions/1/artifact")
    assert resp.status_code == 200
    assert resp.content == BIG and resp.headers["content-length"] == str(len(BIG))
    for name, value in ANSWER_HEADERS:
        assert resp.headers[name] == value


def test_a_large_answer_streams_in_chunks_on_one_kept_alive_connection(
    service: FakeService,
) -> None:
    async def fetch_twice() -> list[list[bytes]]:
        client = ServiceClient("trainer", service.url, timeout_s=5)
        bodies = []
        try:
            for _ in range(2):
                answer = await client.forward("GET", "/api/v1/models/m", [], b"")
                chunks = []
                async for chunk in answer.chunks():
                    chunks.append(chunk)
                    await asyncio.sleep(0)  # a client slower than the service: backpressure
                answer.release()
                bodies.append(chunks)
        finally:
            await client.aclose()
        return bodies

    before = service.connections
    bodies = asyncio.run(fetch_twice())
    assert all(b"".join(chunks) == BIG and len(chunks) > 1 for chunks in bodies)
    assert service.connections == before + 1


def test_an_answer_cut_short_is_an_error_and_never_a_short_body() -> None:
    with _OneShot(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + b"x" * 10) as url:

        async def read() -> bytes:
            client = ServiceClient("trainer", url, timeout_s=5)
            try:
                answer = await client.forward("GET", "/api/v1/models/m", [], b"")
                return await answer.read()
            finally:
                await client.aclose()

        with pytest.raises(ConnectionDropped, match="closed before the answer was complete"):
            asyncio.run(read())


def test_a_service_that_does_not_answer_is_a_503_saying_so(tmp_path: Path, redis_url: str) -> None:
    with socket.socket() as silent:  # listens, so connections open, but never reads or answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        with _gateway(tmp_path, redis_url, url, service_timeout_s=0.3) as client:
            resp = client.get("/api/v1/models")
    assert resp.status_code == 503
    body = resp.json()
    assert body["code"] == "upstream_timeout"
    assert body["detail"].startswith("the trainer service did not answer in time")


class _OneShot:
    """Reads one request, sends `answer` and closes the connection."""

    def __init__(self, answer: bytes) -> None:
        self.answer = answer
        self.listener = socket.socket()

    def __enter__(self) -> str:
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(1)
        threading.Thread(target=self._serve, daemon=True).start()
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}"

    def __exit__(self, *_: object) -> None:
        self.listener.close()

    def _serve(self) -> None:
        conn, _ = self.listener.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(self.answer)
