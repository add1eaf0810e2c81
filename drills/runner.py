"""Run one drill: a fresh private stack, the drill's batch and fault, the count, the teardown."""

from __future__ import annotations

import contextlib
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx

from drills.outcome import Outcome
from drills.stack import Stack
from drills.workload import Submissions, client

# What a drill does once its stack is healthy: submit, inject the fault; the runner then counts.
Act = Callable[[Stack, httpx.Client, Outcome], Submissions]
# Around the stack's whole life (a mount, a network namespace): yields extra environment.
Setup = Callable[[Stack], contextlib.AbstractContextManager[dict[str, str]]]


@contextlib.contextmanager
def no_setup(_stack: Stack) -> Iterator[dict[str, str]]:
    yield {}


@dataclass(frozen=True)
class Drill:
    name: str
    summary: str
    act: Act
    setup: Setup = no_setup
    timeout_s: float = 300.0  # for every job to be final once the fault was injected
    quick: bool = False  # cheap enough for `make test`
    fails_jobs: bool = False  # failed jobs are what the drill expects (else logs are kept)
    skip_reason: Callable[[], str] = lambda: ""


def run(drill: Drill, base_port: int, keep: bool = False) -> Outcome:
    """Start a private stack, run the drill, count; the stack is always stopped."""
    outcome = Outcome(drill.name)
    if reason := drill.skip_reason():
        outcome.skipped = reason
        return outcome
    stack = Stack(base_port, drill.name)
    started = time.monotonic()
    try:
        with drill.setup(stack) as env:
            stack.extra_env.update(env)
            stack.start()
            try:
                stack.wait_healthy()
                outcome.notes.append(f"healthy after {time.monotonic() - started:.0f} s")
                run_on(drill, stack, outcome)
            finally:
                stack.stop()
    except Exception as exc:  # the drill itself broke: a failure, with the trace to read
        outcome.problems.append(f"drill error: {type(exc).__name__}: {exc}")
        outcome.notes.append(traceback.format_exc(limit=4))
    outcome.seconds = time.monotonic() - started
    # Logs are kept for whatever deserves a look, even when nothing was lost.
    surprising = outcome.refused or (outcome.failed and not drill.fails_jobs)
    if not outcome.ok or keep or surprising:
        outcome.notes.append(f"logs kept in {stack.root}")
    else:
        stack.remove()
    return outcome


def run_on(drill: Drill, stack: Stack, outcome: Outcome, timeout_s: float | None = None) -> None:
    """The drill's batch and fault on a healthy stack, then the count (bounded wait: the
    drill's own, or `timeout_s`)."""
    started = time.monotonic()
    with client(stack.api_url, stack.api_key) as api:
        submitted, refused = drill.act(stack, api, outcome)
        acted = time.monotonic()
        outcome.count(api, submitted, refused, timeout_s or drill.timeout_s)
    outcome.notes.append(
        f"timing: fault injected {acted - started:.0f} s after the first submission, "
        f"every job final {time.monotonic() - acted:.0f} s later"
    )
