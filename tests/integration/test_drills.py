"""The quick `make chaos` drills on one private honcho stack, as `make up` runs the platform:
a worker's main process SIGKILLed, then Redis SIGKILLed and restarted empty. Every job submitted
must succeed, with its results readable; none may be lost or stuck."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from drills.catalogue import DRILLS
from drills.outcome import Outcome, details, table
from drills.runner import run_on
from drills.stack import Batch, Stack

pytestmark = pytest.mark.integration

QUICK = [d for d in DRILLS if d.quick]
# Every job final within this after the fault, well inside the test's own timeout, so that a
# stuck job fails with the drill's report and the stack's log lines about it (the stack's files
# are removed when the module ends).
FINAL_WITHIN_S = 200


@pytest.fixture(scope="module")
def drill_stack() -> Iterator[Stack]:
    # A small batch: the fault still lands mid-sweep or mid-training, in a fraction of the time.
    stack = Stack(20000 + (os.getpid() % 1500) * 6, "pytest", batch=Batch(3, 1, 1))
    try:
        stack.start()
        stack.wait_healthy()
        yield stack
    finally:
        stack.stop()
        stack.remove()


def test_the_quick_drills_are_the_worker_kill_and_the_redis_restart() -> None:
    assert [d.name for d in QUICK] == ["worker-main-kill", "redis-kill"]


@pytest.mark.timeout(480)  # the stack's start, the batch, the fault, then FINAL_WITHIN_S
@pytest.mark.parametrize("drill", QUICK, ids=[d.name for d in QUICK])
def test_nothing_is_lost_and_every_result_is_whole(drill_stack: Stack, drill) -> None:  # type: ignore[no-untyped-def]
    outcome = Outcome(drill.name)
    run_on(drill, drill_stack, outcome, timeout_s=FINAL_WITHIN_S)
    report = f"{table([outcome])}\n{details([outcome])}"
    if outcome.lost_ids:
        report += f"\nlog lines about the lost jobs:\n{drill_stack.lines_about(outcome.lost_ids)}"
        report += f"\nthe log's end:\n{drill_stack.tail(60)}"
    assert outcome.lost == [] and outcome.problems == [], report
    assert outcome.submitted == 5 and not outcome.refused, report
    assert outcome.succeeded == 5 and outcome.complete == 5, report
