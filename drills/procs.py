"""The platform's processes as the kernel sees them: a tree under honcho, found through /proc.

Only descendants of the drill's own honcho are ever looked at or signalled, so another stack on
the machine (a `make up`, a test run) is never touched.
"""

from __future__ import annotations

import contextlib
import os
import signal
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")


@dataclass(frozen=True)
class Process:
    pid: int
    ppid: int
    argv: tuple[str, ...]

    @property
    def command(self) -> str:
        return " ".join(self.argv)


def _read(pid: int) -> Process | None:
    try:
        stat = (PROC / str(pid) / "stat").read_text()
        raw = (PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        return None  # exited while we looked
    # The command name in stat is in parentheses and may hold spaces: the ppid follows the last ')'.
    fields = stat[stat.rindex(")") + 2 :].split()
    if fields[0] == "Z":
        return None  # a zombie is already dead
    argv = tuple(part.decode(errors="replace") for part in raw.split(b"\0") if part)
    return Process(pid, int(fields[1]), argv)


def all_processes() -> list[Process]:
    found = []
    for entry in PROC.iterdir():
        if entry.name.isdigit() and (proc := _read(int(entry.name))) is not None:
            found.append(proc)
    return found


def descendants(root: int) -> list[Process]:
    """Every live process below `root` (not `root` itself), parents before children."""
    by_parent: dict[int, list[Process]] = {}
    for proc in all_processes():
        by_parent.setdefault(proc.ppid, []).append(proc)
    out: list[Process] = []
    todo = [root]
    while todo:
        for child in by_parent.get(todo.pop(0), []):
            out.append(child)
            todo.append(child.pid)
    return out


def children(parent: int) -> list[Process]:
    return [p for p in all_processes() if p.ppid == parent]


def send(pid: int, sig: signal.Signals) -> bool:
    """Signal one process; False if it is already gone."""
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        return False
    return True


def kill_groups(pids: list[int]) -> None:
    """SIGKILL the process group of each pid (what a start_new_session child leads)."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
