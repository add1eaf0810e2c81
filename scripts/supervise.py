"""Keep one command running: restart it whenever it exits on its own, with backoff.

    python scripts/supervise.py --name gateway -- uvicorn gateway.main:create_app --factory

`make up` runs the Procfile with honcho, and honcho stops every process as soon as one exits, so
each long-running line of the Procfile runs under this script: a crashed worker or service comes
back by itself instead of taking the platform down. Restarts wait 1 s, doubling up to 30 s, and
the wait starts again from 1 s once the command has run 60 s; a command that keeps crashing is
still restarted, and every restart is logged with its exit code to the console and to
LOG_DIR/supervise.log (LOG_DIR defaults to VAR_DIR/log, as in shared.config).

Stopping: SIGTERM or SIGINT makes this script send SIGTERM to the command and exit with its status
once it exits (128 + N when a signal N ended it, as a shell reports), never restarting it; a second
request kills the command. SIGTERM is forwarded even for a SIGINT because a Ctrl-C in a terminal
or honcho's stop (a signal to the whole process group) already reached the command once: a second
SIGTERM is harmless to uvicorn, celery and redis, where a second SIGINT means "force". The command
stays in this script's process group, so honcho's final SIGKILL of the group reaches it too.

Standard library only, on purpose: a bad setting must crash the command (and be restarted,
logged), not this script (which would stop the whole platform).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import select
import shlex
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TextIO

# After this many quick exits in a row the log says the command keeps crashing.
CRASH_LOOP_EXITS = 3


@dataclass(frozen=True)
class Backoff:
    """How long to wait before each restart: doubling from `initial_s` up to `max_s`."""

    initial_s: float = 1.0
    max_s: float = 30.0
    reset_after_s: float = 60.0  # a run at least this long counts as healthy: start again at 1 s

    def next_delay(self, previous_s: float | None, ran_s: float) -> float:
        """The wait before the next start, given the previous wait and how long the run lasted."""
        if previous_s is None or ran_s >= self.reset_after_s:
            return min(self.initial_s, self.max_s)
        return min(previous_s * 2, self.max_s)


def describe_exit(returncode: int) -> str:
    """'exited with code 1' or 'was killed by SIGKILL (9)'."""
    if returncode < 0:
        number = -returncode
        with contextlib.suppress(ValueError):
            return f"was killed by {signal.Signals(number).name} ({number})"
        return f"was killed by signal {number}"
    return f"exited with code {returncode}"


def exit_status(returncode: int) -> int:
    """A child's status as this process's exit code: 128 + N for a signal N, as a shell does."""
    return 128 - returncode if returncode < 0 else returncode


class Log:
    """Prints each line to stderr (honcho prefixes it with the process name) and to a file."""

    def __init__(self, name: str, log_file: Path | None) -> None:
        self.name = name
        self._file: TextIO | None = None
        if log_file is not None:
            try:
                log_file.parent.mkdir(parents=True, exist_ok=True)
                self._file = log_file.open("a", encoding="utf-8", buffering=1)
            except OSError as exc:
                self(f"cannot write {log_file} ({exc}); logging to the console only")

    def __call__(self, message: str) -> None:
        line = f"supervise[{self.name}]: {message}"
        # A closed console (honcho gone) must not crash the supervisor of a running command.
        with contextlib.suppress(OSError, ValueError):
            print(line, file=sys.stderr, flush=True)
        if self._file is not None:
            with contextlib.suppress(OSError, ValueError):
                self._file.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {line}\n")


class Supervisor:
    """Runs `argv` until asked to stop, restarting it after every exit it was not asked for."""

    def __init__(self, argv: list[str], backoff: Backoff, log: Log) -> None:
        self.argv = argv
        self.backoff = backoff
        self.log = log
        self.child: subprocess.Popen[bytes] | None = None
        self.stop_requests = 0
        self.stop_signal = ""
        self._forwarded = 0  # stop requests already passed on to the current child
        # Signals write a byte here, which wakes the backoff wait at once (no polling).
        self._wake_read, wake_write = os.pipe()
        os.set_blocking(self._wake_read, False)
        os.set_blocking(wake_write, False)
        signal.set_wakeup_fd(wake_write, warn_on_full_buffer=False)
        signal.signal(signal.SIGTERM, self._on_stop)
        signal.signal(signal.SIGINT, self._on_stop)

    def run(self) -> int:
        """Start, wait, restart; return the exit code once a stop request ended the command."""
        delay_s: float | None = None
        quick_exits = 0
        restarts = 0
        while not self.stop_requests:
            started = time.monotonic()
            returncode = self._run_once(restart=restarts)
            ran_s = time.monotonic() - started
            if self.stop_requests and returncode is not None:
                self.log(f"{self.stop_signal} received: the command {describe_exit(returncode)}")
                return exit_status(returncode)
            if self.stop_requests:
                break
            quick_exits = quick_exits + 1 if ran_s < self.backoff.reset_after_s else 1
            delay_s = self.backoff.next_delay(delay_s, ran_s)
            restarts += 1
            outcome = (
                "could not start"
                if returncode is None
                else f"{describe_exit(returncode)} after {ran_s:.1f} s"
            )
            message = f"the command {outcome}; restart {restarts} in {delay_s:g} s"
            if quick_exits >= CRASH_LOOP_EXITS:
                message += (
                    f"; it keeps crashing ({quick_exits} exits in a row, each within "
                    f"{self.backoff.reset_after_s:g} s of its start): see its output above"
                )
            self.log(message)
            self._sleep(delay_s)
        self.log(f"{self.stop_signal} received: stopped before the restart")
        return 0

    def _run_once(self, restart: int) -> int | None:
        """Start the command once and wait for it: its return code, None if it cannot start."""
        self._forwarded = 0
        try:
            self.child = subprocess.Popen(self.argv)
        except OSError as exc:
            self.log(f"cannot start {shlex.join(self.argv)}: {exc}")
            return None
        if restart:
            self.log(f"restarted (pid {self.child.pid})")
        self._forward()  # a stop asked for while the child was starting
        returncode = self.child.wait()
        self.child = None
        return returncode

    def _on_stop(self, signum: int, _frame: FrameType | None) -> None:
        # No logging here: a handler that prints while the main code prints breaks the stream.
        self.stop_requests += 1
        self.stop_signal = self.stop_signal or signal.Signals(signum).name
        self._forward()

    def _forward(self) -> None:
        """Pass a stop request on to the running child: SIGTERM first, then SIGKILL."""
        child = self.child
        if child is None or self._forwarded >= self.stop_requests:
            return
        self._forwarded = self.stop_requests
        child.send_signal(signal.SIGTERM if self.stop_requests == 1 else signal.SIGKILL)

    def _sleep(self, seconds: float) -> None:
        """Wait before a restart; a stop request ends the wait at once."""
        deadline = time.monotonic() + seconds
        while not self.stop_requests:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            select.select([self._wake_read], [], [], left)
            with contextlib.suppress(BlockingIOError):
                os.read(self._wake_read, 512)


def default_log_file() -> Path:
    """LOG_DIR/supervise.log, LOG_DIR defaulting to VAR_DIR/log as the platform's settings do."""
    log_dir = os.environ.get("LOG_DIR") or str(Path(os.environ.get("VAR_DIR") or "var") / "log")
    return Path(log_dir) / "supervise.log"


def parse_args(args: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Run a command and restart it whenever it exits on its own.",
        usage="%(prog)s [options] -- command [arg ...]",
    )
    parser.add_argument("--name", help="name in the log lines (default: the command's name)")
    parser.add_argument("--backoff-initial", type=float, default=1.0, metavar="S")
    parser.add_argument("--backoff-max", type=float, default=30.0, metavar="S")
    parser.add_argument(
        "--reset-after", type=float, default=60.0, metavar="S",
        help="a run this long resets the wait to --backoff-initial",
    )  # fmt: skip
    parser.add_argument("--log-file", type=Path, help="default: LOG_DIR/supervise.log")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command, after --")
    parsed = parser.parse_args(args)
    if parsed.command[:1] == ["--"]:
        parsed.command = parsed.command[1:]
    if not parsed.command:
        parser.error("give the command to run after --, e.g. -- celery -A trainer.worker worker")
    for flag in ("backoff_initial", "backoff_max", "reset_after"):
        if getattr(parsed, flag) < 0:
            parser.error(f"--{flag.replace('_', '-')} must be 0 or more seconds")
    return parsed


def main(args: list[str] | None = None) -> int:
    parsed = parse_args(sys.argv[1:] if args is None else args)
    name = parsed.name or Path(parsed.command[0]).name
    log = Log(name, parsed.log_file or default_log_file())
    backoff = Backoff(parsed.backoff_initial, parsed.backoff_max, parsed.reset_after)
    return Supervisor(parsed.command, backoff, log).run()


if __name__ == "__main__":
    raise SystemExit(main())
