"""scripts/supervise.py keeps a command running: restarts after any exit it was not asked for,
stops it (and itself) on SIGTERM/SIGINT, and keeps honcho from stopping the whole platform."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import shlex
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from tests.support.processes import wait_until

ROOT = Path(__file__).resolve().parents[3]
SUPERVISE = ROOT / "scripts" / "supervise.py"
FAKE = Path(__file__).with_name("fake_command.py")
FAST = ["--backoff-initial", "0.01", "--backoff-max", "0.05"]
EXIT_WAIT_S = 20  # a bound on waiting for an exit, far above what a prompt stop takes


def load_supervise() -> ModuleType:
    spec = importlib.util.spec_from_file_location("supervise", SUPERVISE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["supervise"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def alive(pid: int) -> bool:
    """True while `pid` runs (a zombie, dead but not yet reaped, counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    return True


def fake_command(state: Path, crashes: int, on_term: str) -> list[str]:
    return [sys.executable, str(FAKE), str(state), str(crashes), on_term]


@dataclass
class Supervised:
    """One supervisor process around fake_command.py, and where to read what happened."""

    popen: subprocess.Popen[bytes]
    state: Path

    def starts(self) -> list[int]:
        path = self.state / "starts"
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def ready(self, start: int) -> bool:
        """True once the start-th run (1-based) waits for signals."""
        starts = self.starts()
        return len(starts) >= start and (self.state / f"ready-{starts[start - 1]}").exists()

    def log(self) -> str:
        return (self.state / "supervise.log").read_text()

    def console(self) -> Path:
        return self.state / "console.txt"

    def wait_exit(self) -> int:
        return self.popen.wait(timeout=EXIT_WAIT_S)


@pytest.fixture
def supervise(tmp_path: Path) -> Iterator[Callable[..., Supervised]]:
    """Starts supervisors in their own process groups; kills whatever is left afterwards."""
    started: list[Supervised] = []

    def start(crashes: int, on_term: str = "exit0", backoff: list[str] = FAST) -> Supervised:
        state = tmp_path / f"run{len(started)}"
        state.mkdir()
        args = [sys.executable, str(SUPERVISE), "--name", "fake", *backoff]
        args += ["--log-file", str(state / "supervise.log"), "--"]
        args += fake_command(state, crashes, on_term)
        with (state / "console.txt").open("w") as console:
            popen = subprocess.Popen(
                args, stdout=console, stderr=subprocess.STDOUT, start_new_session=True
            )
        started.append(Supervised(popen, state))
        return started[-1]

    yield start
    for run in started:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(run.popen.pid, signal.SIGKILL)
        run.popen.wait()


def test_a_command_that_exits_is_restarted_and_sigterm_stops_both(
    supervise: Callable[..., Supervised],
) -> None:
    run = supervise(crashes=2)
    wait_until(lambda: run.ready(3), 30, "the third start", run.console())
    assert run.popen.poll() is None
    child = run.starts()[-1]

    os.kill(run.popen.pid, signal.SIGTERM)  # the supervisor only: it must pass the stop on

    assert run.wait_exit() == 0  # the command exits 0 on SIGTERM; the supervisor reports it
    assert not alive(child)
    assert len(run.starts()) == 3, "a stopped command must not be restarted"
    assert run.log().count("exited with code 1") == 2
    assert "SIGTERM received: the command exited with code 0" in run.log()


def test_a_command_killed_by_sigkill_is_restarted(supervise: Callable[..., Supervised]) -> None:
    run = supervise(crashes=0)
    wait_until(lambda: run.ready(1), 30, "the first start", run.console())
    first = run.starts()[0]

    os.kill(first, signal.SIGKILL)

    wait_until(lambda: run.ready(2), 30, "the restart", run.console())
    assert not alive(first) and alive(run.starts()[1])
    assert f"was killed by SIGKILL ({int(signal.SIGKILL)})" in run.log()
    os.kill(run.popen.pid, signal.SIGTERM)
    assert run.wait_exit() == 0


def test_a_command_that_keeps_crashing_is_still_restarted_and_the_log_says_so(
    supervise: Callable[..., Supervised],
) -> None:
    run = supervise(crashes=1000)
    wait_until(lambda: len(run.starts()) >= 6, 30, "six starts", run.console())

    assert run.popen.poll() is None, "the supervisor must never give up"
    log = run.log()
    delays = [float(d) for d in re.findall(r"restart \d+ in ([0-9.]+) s", log)]
    assert delays[:5] == [0.01, 0.02, 0.04, 0.05, 0.05]  # doubling from 0.01, capped at 0.05
    assert "keeps crashing (3 exits in a row" in log
    assert "keeps crashing" not in log.splitlines()[1], "two quick exits are not yet a loop"


def test_a_stop_during_the_wait_before_a_restart_ends_it_at_once(
    supervise: Callable[..., Supervised],
) -> None:
    run = supervise(crashes=1, backoff=["--backoff-initial", "600", "--backoff-max", "600"])
    wait_until(lambda: "restart 1 in 600 s" in run.log(), 30, "the first exit", run.console())

    os.kill(run.popen.pid, signal.SIGINT)

    assert run.wait_exit() == 0  # well before the 600 s wait would have ended
    assert len(run.starts()) == 1


def test_a_command_that_cannot_start_is_retried_and_logged(tmp_path: Path) -> None:
    log_file = tmp_path / "supervise.log"
    args = [sys.executable, str(SUPERVISE), "--name", "missing", *FAST, "--log-file"]
    args += [str(log_file), "--", str(tmp_path / "no-such-command")]
    popen = subprocess.Popen(args, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_until(lambda: log_file.read_text().count("cannot start") >= 3, 30, "three tries")
        assert "the command could not start; restart 3 in" in log_file.read_text()
        os.kill(popen.pid, signal.SIGTERM)
        assert popen.wait(timeout=EXIT_WAIT_S) == 0
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(popen.pid, signal.SIGKILL)
        popen.wait()


def test_the_exit_code_reports_the_signal_that_ended_the_command(
    supervise: Callable[..., Supervised],
) -> None:
    run = supervise(crashes=0, on_term="default")
    wait_until(lambda: run.ready(1), 30, "the first start", run.console())

    os.kill(run.popen.pid, signal.SIGTERM)

    assert run.wait_exit() == 128 + signal.SIGTERM  # what a shell reports for a TERM death


def test_a_second_stop_request_kills_a_command_that_ignores_the_first(
    supervise: Callable[..., Supervised],
) -> None:
    run = supervise(crashes=0, on_term="ignore")
    wait_until(lambda: run.ready(1), 30, "the first start", run.console())
    child = run.starts()[0]

    # Two different signals: two pending TERMs could merge into one.
    os.kill(run.popen.pid, signal.SIGTERM)
    os.kill(run.popen.pid, signal.SIGINT)

    assert run.wait_exit() == 128 + signal.SIGKILL
    assert not alive(child)


def test_backoff_doubles_up_to_the_cap_and_starts_again_after_a_long_run() -> None:
    backoff = load_supervise().Backoff(initial_s=1.0, max_s=30.0, reset_after_s=60.0)
    delays: list[float] = []
    previous = None
    for _ in range(7):
        previous = backoff.next_delay(previous, ran_s=0.5)
        delays.append(previous)
    assert delays == [1, 2, 4, 8, 16, 30, 30]
    assert backoff.next_delay(30.0, ran_s=60.0) == 1.0
    assert backoff.next_delay(30.0, ran_s=59.9) == 30.0


def test_the_command_is_required() -> None:
    done = subprocess.run(
        [sys.executable, str(SUPERVISE), "--name", "x"], capture_output=True, text=True
    )
    assert done.returncode == 2
    assert "give the command to run after --" in done.stderr


def procfile_lines() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    pairs = [line.split(":", 1) for line in lines if line.strip() and not line.startswith("#")]
    return {name.strip(): command.strip() for name, command in pairs}


@pytest.mark.parametrize("name", sorted(procfile_lines()))
def test_every_procfile_process_runs_under_the_supervisor(name: str) -> None:
    words = shlex.split(procfile_lines()[name])
    assert words[:2] == ["python", "scripts/supervise.py"], f"{name} would stop the platform"
    assert words[words.index("--name") + 1] == name
    assert "--" in words and words[words.index("--") + 1 :], f"{name}: no command after --"


def test_under_honcho_a_crashing_process_leaves_the_others_running(tmp_path: Path) -> None:
    honcho = Path(sys.executable).parent / "honcho"
    crashing, steady = tmp_path / "crashing", tmp_path / "steady"
    lines = []
    for state, crashes in ((crashing, 2), (steady, 0)):
        state.mkdir()
        args = [sys.executable, str(SUPERVISE), "--name", state.name, *FAST]
        args += ["--log-file", str(tmp_path / "supervise.log"), "--"]
        args += fake_command(state, crashes, "exit0")
        lines.append(f"{state.name}: {shlex.join(args)}")
    (tmp_path / "Procfile").write_text("\n".join(lines) + "\n")
    output = tmp_path / "honcho.txt"
    with output.open("w") as out:
        popen = subprocess.Popen(
            [str(honcho), "start", "-f", str(tmp_path / "Procfile"), "-d", str(tmp_path)],
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        crash_run = Supervised(popen, crashing)
        steady_run = Supervised(popen, steady)
        wait_until(lambda: crash_run.ready(3) and steady_run.ready(1), 30, "honcho", output)
        assert popen.poll() is None, "one process exiting stopped honcho"
        assert len(steady_run.starts()) == 1, "the steady process was stopped or restarted"

        os.kill(popen.pid, signal.SIGTERM)  # what `make down` does

        assert popen.wait(timeout=EXIT_WAIT_S) in (0, 130, 143)  # `make up`: "Platform stopped."
        for pid in crash_run.starts() + steady_run.starts():
            assert not alive(pid), output.read_text()
    finally:
        # honcho starts each process in a session of its own: kill those groups too.
        started = re.findall(r"started \(pid=(\d+)\)", output.read_text())
        for group in [popen.pid, *map(int, started)]:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, signal.SIGKILL)
        popen.wait()
