"""Wait until the gateway reports every component healthy, print the URL, then seed the demo.

This is the `ready` process of the Procfile. The demo itself is scripts/seed_demo.py. Honcho
stops the whole stack as soon as one process exits, so after its work this idles until it is
stopped (use --exit to return instead). Its output goes to the console and to LOG_DIR/ready.log.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from seed_demo import gateway_root, seed_demo, write_headers  # scripts/seed_demo.py

from shared.config import get_settings


class Console:
    """Prints to stdout (unbuffered, for honcho) and appends to a log file."""

    def __init__(self, log_file: Path) -> None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        self._log = log_file.open("a", encoding="utf-8")

    def __call__(self, message: str) -> None:
        print(message, flush=True)
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        self._log.write(f"{stamp} {message}\n")
        self._log.flush()


def problems(health: dict[str, Any] | None) -> list[str]:
    """What keeps the platform from being healthy, one line per component."""
    if health is None:
        return ["gateway: not answering yet"]
    found = []
    for name, value in (health.get("components") or {}).items():
        if isinstance(value, dict) and "status" in value:
            if value["status"] != "ok":
                detail = value.get("detail") or value.get("error") or ""
                found.append(f"{name}: {value['status']} {detail}".rstrip())
        elif isinstance(value, dict):
            found += [f"{name}.{k}: {v}" for k, v in value.items() if isinstance(v, int) and v < 1]
    if not found and health.get("status") != "ok":
        found.append(f"status: {health.get('status')!r}")
    return found


def fetch_health(client: httpx.Client) -> dict[str, Any] | None:
    try:
        body = client.get("/health").json()
    except (httpx.HTTPError, ValueError):
        return None
    return body if isinstance(body, dict) else None


def wait_healthy(client: httpx.Client, say: Console, timeout_s: float, give_up: bool) -> bool:
    """Poll /health until it is ok; after `timeout_s`, say what is not ok and keep waiting."""
    deadline = time.monotonic() + timeout_s
    reported: list[str] | None = None
    while True:
        health = fetch_health(client)
        if health is not None and health.get("status") == "ok":
            return True
        if time.monotonic() > deadline:
            current = problems(health)
            if current != reported:
                say(f"Not ready after {timeout_s:.0f} s; still waiting on: " + "; ".join(current))
                reported = current
            if give_up:
                return False
        time.sleep(0.5)


def idle_until_stopped() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while True:
            signal.pause()
    except KeyboardInterrupt:
        pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds before reporting")
    parser.add_argument("--no-seed", action="store_true", help="do not queue the demo download")
    parser.add_argument("--exit", action="store_true", help="exit (1 on timeout) instead of idling")
    args = parser.parse_args()

    settings = get_settings()
    say = Console(settings.logs_path / "ready.log")
    root = gateway_root(settings)
    headers = write_headers(settings)

    api = f"{root}/api/v1"
    with httpx.Client(base_url=api, timeout=10.0) as client:
        ok = wait_healthy(client, say, args.timeout, give_up=args.exit)
        if ok:
            say(f"Platform ready: {root}  (API /api/v1, docs /docs)")
            if settings.accounts and settings.api_key is None:
                say(
                    "Accounts are on: create an admin with `python scripts/accounts.py "
                    "create-admin NAME`. The demo is not seeded (it needs API_KEY to write)."
                )
            elif not args.no_seed:
                seed_demo(client, say, api, headers)
    if args.exit:
        return 0 if ok else 1
    idle_until_stopped()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
