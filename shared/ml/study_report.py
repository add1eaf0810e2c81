"""A study's report from its trials: ranked by the objective, each algorithm's best, and the
deflated Sharpe ratio of the winner given how many trials were made (shared.stats).

Each trial carries the sufficient statistics of its out-of-sample returns (per-bar Sharpe, skew,
non-excess kurtosis, number of returns), so the report needs no returns series, only trials.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from shared.stats import deflated_sharpe_ratio, expected_max_sharpe, moments, sharpe_ratio
from shared.stats.verdict import luck_verdict

COMPLETE, FAILED = "complete", "failed"


def return_stats(returns: npt.ArrayLike) -> dict[str, Any]:
    """The statistics the deflated Sharpe ratio needs, from one trial's per-bar returns."""
    x = np.asarray(returns, dtype=np.float64)
    x = x[np.isfinite(x)]
    skew, kurt = moments(x) if x.size >= 2 else (math.nan, math.nan)
    sr = sharpe_ratio(x) if x.size >= 2 and np.ptp(x) > 0 else math.nan
    return {"sr_period": _clean(sr), "skew": _clean(skew), "kurtosis": _clean(kurt),
            "n_obs": int(x.size)}  # fmt: skip


def rank_trials(trials: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Completed trials best first by value (undefined last, ties by number); failed ones after."""
    done = [t for t in trials if t["state"] == COMPLETE]
    failed = [t for t in trials if t["state"] != COMPLETE]
    done.sort(key=lambda t: (t["value"] is None, -(t["value"] or 0.0), t["number"]))
    return done + sorted(failed, key=lambda t: t["number"])


def study_report(
    trials: Sequence[dict[str, Any]], objective: str, algorithms: Sequence[str]
) -> dict[str, Any]:
    """Ranking, each algorithm's best, and whether the winner is likely luck."""
    ranked = rank_trials(trials)
    done = [t for t in ranked if t["state"] == COMPLETE]
    best = done[0] if done and done[0]["value"] is not None else None
    by_algorithm = []
    for name in algorithms:
        own = [t for t in done if t["algorithm"] == name]
        top = own[0] if own and own[0]["value"] is not None else None
        by_algorithm.append({"algorithm": name, "trials": len(own), "best": top})
    return {
        "objective": objective, "n_trials": len(done), "n_failed": len(ranked) - len(done),
        "best": best, "ranked": ranked, "by_algorithm": by_algorithm,
        "overfitting": deflation(done, best),
    }  # fmt: skip


def deflation(done: Sequence[dict[str, Any]], best: dict[str, Any] | None) -> dict[str, Any]:
    """The winner's deflated Sharpe ratio against the best of len(done) skill-less trials, with
    the variance of the per-bar Sharpe ratios across the trials (as the sweeps compute it)."""
    ratios = np.array([t["sr_period"] for t in done if t["sr_period"] is not None])
    n_trials = len(done)
    variance = float(np.var(ratios, ddof=1)) if len(ratios) > 1 else 0.0
    sr = best["sr_period"] if best is not None else None
    dsr = None
    if best is not None and sr is not None and best["skew"] is not None and best["n_obs"] >= 2:
        dsr = _clean(deflated_sharpe_ratio(
            sr, best["n_obs"], best["skew"], best["kurtosis"], n_trials, variance
        ))  # fmt: skip
    report: dict[str, Any] = {
        "n_trials": n_trials, "best_sharpe_per_period": sr,
        "sharpe_variance_per_period": variance,
        "expected_max_sharpe_per_period": expected_max_sharpe(n_trials, variance)
        if n_trials >= 1 else None,
        "deflated_sharpe_ratio": dsr,
    }  # fmt: skip
    report.update(luck_verdict(dsr, n_trials, "trials"))
    return report


def _clean(value: float | None) -> float | None:
    return float(value) if value is not None and math.isfinite(value) else None
