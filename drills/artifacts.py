"""Drill 7: the artifact folder fills up, then turns read-only, while trainings write models.

The stack's ARTIFACT_DIR is a small tmpfs of its own (root ignores file permissions, so a chmod
proves nothing; a full or read-only filesystem is what a real disk does). Trainings that hit it
must fail with a reason that says so, leave no half-written version, and trainings after the
space is back must succeed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from drills.outcome import Outcome
from drills.runner import Drill
from drills.stack import Stack
from drills.workload import (
    SIMULATION,
    TRAINING,
    Submissions,
    Submitted,
    split,
    submit,
    wait_final,
    wait_until_running,
)

TMPFS_SIZE = "16m"
FILLER = "filler.bin"


def _mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True, text=True)


def skip_reason() -> str:
    if os.geteuid() != 0:
        return "needs root to mount a small tmpfs as the artifact folder"
    return ""


@contextlib.contextmanager
def small_artifact_disk(stack: Stack) -> Iterator[dict[str, str]]:
    """A tmpfs of TMPFS_SIZE as the stack's artifact folder; unmounted afterwards."""
    folder = stack.root / "artifacts"
    folder.mkdir()
    _mount("-t", "tmpfs", "-o", f"size={TMPFS_SIZE},mode=0755", "tmpfs", str(folder))
    try:
        yield {"ARTIFACT_DIR": str(folder)}
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False, capture_output=True)


def fill(folder: Path) -> int:
    """Write zeros until the filesystem is full; the bytes written."""
    written = 0
    block = b"\0" * (1 << 16)
    with (folder / FILLER).open("wb") as out:
        try:
            while True:
                out.write(block)
                out.flush()
                written += len(block)
        except OSError as exc:
            if exc.errno != errno.ENOSPC:
                raise
    return written


def _train(api: httpx.Client, n: int) -> list[Submitted]:
    submitted, refused = split(submit(api, "training", TRAINING) for _ in range(n))
    if refused:
        raise RuntimeError(f"trainings refused: {refused}")
    return submitted


def _expect(
    api: httpx.Client, items: list[Submitted], status: str, words: tuple[str, ...],
    outcome: Outcome, phase: str,
) -> None:  # fmt: skip
    """Each job ends `status`; a failure's reason names the artifact store and the cause."""
    for job_id, job in wait_final(api, items, timeout_s=240).items():
        if job is None or job["status"] != status:
            got = "gone" if job is None else f"{job['status']} ({job.get('error')})"
            outcome.problems.append(f"{phase}: training job {job_id} {got}, expected {status}")
        elif status == "failed" and not all(w in (job["error"] or "").lower() for w in words):
            outcome.problems.append(f"{phase}: unclear reason: {job['error']}")


def full_then_read_only(stack: Stack, api: httpx.Client, outcome: Outcome) -> Submissions:
    folder = stack.root / "artifacts"
    submitted, refused = split(
        [submit(api, "simulation", SIMULATION), *(submit(api, "training", TRAINING) for _ in "ab")]
    )
    wait_until_running(api, {"training"})
    written = fill(folder)
    outcome.notes.append(f"artifact tmpfs ({TMPFS_SIZE}) filled with {written >> 20} MiB")
    full = _train(api, 1)
    _expect(api, [*submitted[1:], *full], "failed", ("artifact", "space"), outcome, "disk full")
    _mount("-o", "remount,ro", str(folder))
    read_only = _train(api, 1)
    _expect(api, read_only, "failed", ("artifact", "read-only"), outcome, "read-only")
    _mount("-o", "remount,rw", str(folder))
    (folder / FILLER).unlink()
    time.sleep(0.5)
    after = _train(api, 2)
    _expect(api, after, "succeeded", (), outcome, "space back")
    leftovers = [p.name for p in folder.rglob(".tmp-*")]
    if leftovers:
        outcome.problems.append(f"half-written artifacts left in the store: {leftovers}")
    _check_models(api, outcome)
    return [*submitted, *full, *read_only, *after], refused


def _check_models(api: httpx.Client, outcome: Outcome) -> None:
    """Every registered version loads back whole (its archive downloads)."""
    models = api.get("/models", params={"limit": 100}).json()["items"]
    for model in models:
        archive = api.get(f"/models/{model['id']}/artifact")
        if archive.status_code != 200:
            outcome.problems.append(
                f"model {model['name']} v{model['version']}: artifact {archive.status_code}"
            )
    outcome.notes.append(f"{len(models)} model versions registered, each archive readable")


DRILLS = [
    Drill(
        "artifact-disk-full",
        "the artifact folder full, then read-only, during trainings",
        full_then_read_only,
        setup=small_artifact_disk,
        skip_reason=skip_reason,
        fails_jobs=True,
    ),
]
