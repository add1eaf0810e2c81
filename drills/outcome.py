"""What one drill counted, and the table `make chaos` prints."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import httpx

from drills.workload import FINAL, Refused, Submitted, result_complete, wait_final

HEADERS = (
    "drill", "submitted", "succeeded", "failed (with reason)", "lost or stuck",
    "results complete", "seconds",
)  # fmt: skip


@dataclass
class Outcome:
    """One drill's counts. `problems` are broken promises beyond lost jobs (the drill fails)."""

    name: str
    submitted: int = 0
    succeeded: int = 0
    failed: Counter[str] = field(default_factory=Counter)
    lost: list[str] = field(default_factory=list)
    lost_ids: list[str] = field(default_factory=list)  # the lost jobs' ids, to find in the logs
    complete: int = 0
    checked: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    skipped: str = ""

    @property
    def ok(self) -> bool:
        if self.skipped:
            return True
        return not self.lost and not self.problems and self.complete == self.checked

    def count(
        self, api: httpx.Client, submitted: list[Submitted], refused: list[Refused],
        timeout_s: float,
    ) -> dict[str, dict | None]:  # fmt: skip
        """Wait (bounded) for every job to be final, then count it and check its results."""
        self.submitted += len(submitted)
        self.refused.update(f"{r.kind}: {r.reason}" for r in refused)
        final = wait_final(api, submitted, timeout_s)
        for item in submitted:
            job = final.get(item.job_id)
            if job is None or job["status"] not in FINAL:
                self.lost_ids.append(item.job_id)
            if job is None:
                why = "its row vanished" if item.job_id in final else "never read"
                self.lost.append(f"{item.kind} job {item.job_id}: {why}")
            elif job["status"] not in FINAL:
                self.lost.append(
                    f"{item.kind} job {item.job_id}: still {job['status']} after "
                    f"{timeout_s:.0f} s ({job['message']})"
                )
            elif job["status"] == "succeeded":
                self.succeeded += 1
                self.checked += 1
                if result_complete(api, item):
                    self.complete += 1
                else:
                    self.problems.append(f"{item.kind} {item.resource_id}: result incomplete")
            else:
                self.failed[
                    f"{item.kind} {job['status']}: {job.get('error') or job['message']}"
                ] += 1
        return final


def _failed_cell(outcome: Outcome) -> str:
    if not outcome.failed:
        return "0"
    total = sum(outcome.failed.values())
    reasons = "; ".join(f"{n}x {_short(reason)}" for reason, n in outcome.failed.most_common(3))
    return f"{total} ({reasons})"


def _short(reason: str, width: int = 60) -> str:
    """The reason's head for the table (details() prints it whole)."""
    return reason if len(reason) <= width else reason[: width - 1] + "…"


def row(outcome: Outcome) -> tuple[str, ...]:
    if outcome.skipped:
        return (outcome.name, f"skipped: {outcome.skipped}", "", "", "", "", "")
    submitted = str(outcome.submitted)
    if outcome.refused:
        submitted += f" (+{sum(outcome.refused.values())} refused)"
    return (
        outcome.name, submitted, str(outcome.succeeded), _failed_cell(outcome),
        str(len(outcome.lost)), f"{outcome.complete}/{outcome.checked}", f"{outcome.seconds:.0f}",
    )  # fmt: skip


def table(outcomes: list[Outcome]) -> str:
    """A Markdown table (it reads in a terminal and pastes into the README)."""
    rows = [HEADERS, *(row(o) for o in outcomes)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADERS))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows
    ]
    lines.insert(1, "| " + " | ".join("-" * w for w in widths) + " |")
    return "\n".join(lines)


def details(outcomes: list[Outcome]) -> str:
    """Everything the table abbreviates: refusals, lost jobs, broken promises, notes."""
    lines = []
    for o in outcomes:
        items = [f"refused {n}x: {reason}" for reason, n in o.refused.most_common()]
        items += [f"LOST: {lost}" for lost in o.lost] + [f"PROBLEM: {p}" for p in o.problems]
        items += [f"failed {n}x: {reason}" for reason, n in o.failed.most_common()]
        items += o.notes
        if items:
            lines.append(f"{o.name}:")
            lines += [f"  - {item}" for item in items]
    return "\n".join(lines)
