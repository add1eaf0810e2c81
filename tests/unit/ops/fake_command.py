"""A command for the supervisor tests: records each start, crashes at first, then waits.

    python fake_command.py STATE_DIR CRASHES ON_TERM

Each start appends its pid to STATE_DIR/starts. The first CRASHES starts exit with code 1; later
ones set up SIGTERM (ON_TERM: "exit0" exits 0, "default" dies of it, "ignore" ignores it), write
STATE_DIR/ready-<pid>, and wait for signals.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path


def main() -> int:
    state, crashes, on_term = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    starts = state / "starts"
    with starts.open("a") as out:
        out.write(f"{os.getpid()}\n")
    if len(starts.read_text().split()) <= crashes:
        return 1
    if on_term == "exit0":
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    elif on_term == "ignore":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    (state / f"ready-{os.getpid()}").touch()
    while True:
        signal.pause()


if __name__ == "__main__":
    raise SystemExit(main())
