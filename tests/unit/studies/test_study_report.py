"""The study report: trials ranked, each algorithm's best, and the winner's deflated Sharpe ratio
checked against Bailey & López de Prado's formulas written out here independently."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from scipy.stats import norm

from shared.ml.study_report import return_stats, study_report

EULER = 0.5772156649015329


def _dsr_by_hand(sr: float, n: int, skew: float, kurt: float, trials: int, var: float) -> float:
    # Expected max of `trials` zero-skill Sharpe estimates (False Strategy Theorem), then the PSR.
    if trials == 1:
        sr0 = 0.0
    else:
        sr0 = math.sqrt(var) * (
            (1 - EULER) * norm.ppf(1 - 1 / trials) + EULER * norm.ppf(1 - 1 / (trials * math.e))
        )
    z = (sr - sr0) * math.sqrt(n - 1) / math.sqrt(1 - skew * sr + (kurt - 1) / 4 * sr**2)
    return float(norm.cdf(z))


def _trial(number: int, algorithm: str, returns: np.ndarray) -> dict[str, Any]:
    stats = return_stats(returns)
    return {"number": number, "state": "complete", "algorithm": algorithm,
            "value": stats["sr_period"] * math.sqrt(252), **stats}  # fmt: skip


def test_return_stats_are_the_sample_moments() -> None:
    x = np.random.default_rng(1).normal(0.001, 0.01, 500)
    got = return_stats(x)
    d = x - x.mean()
    assert got["n_obs"] == 500
    assert got["sr_period"] == pytest.approx(x.mean() / x.std(ddof=1), rel=1e-12)
    assert got["skew"] == pytest.approx((d**3).mean() / (d**2).mean() ** 1.5, rel=1e-12)
    assert got["kurtosis"] == pytest.approx((d**4).mean() / (d**2).mean() ** 2, rel=1e-12)
    flat = return_stats(np.zeros(10))
    assert flat["sr_period"] is None and flat["n_obs"] == 10


def test_report_ranks_and_deflates_the_winner_like_the_formula() -> None:
    rng = np.random.default_rng(7)
    trials = [
        _trial(i, "ppo" if i % 2 else "a2c", rng.normal(0.0004 * i, 0.01, 400)) for i in range(6)
    ]
    trials.append({"number": 6, "state": "failed", "algorithm": "ppo", "error": "boom"})
    report = study_report(trials, "oos_sharpe", ["ppo", "a2c", "dqn"])
    values = [t["value"] for t in report["ranked"] if t["state"] == "complete"]
    assert values == sorted(values, reverse=True)
    assert report["ranked"][-1]["number"] == 6 and report["n_failed"] == 1
    best = report["best"]
    assert best["value"] == max(t["value"] for t in trials[:6])
    by = {b["algorithm"]: b for b in report["by_algorithm"]}
    assert by["dqn"] == {"algorithm": "dqn", "trials": 0, "best": None}
    for name in ("ppo", "a2c"):
        own = [t for t in trials[:6] if t["algorithm"] == name]
        assert by[name]["trials"] == 3
        assert by[name]["best"]["value"] == max(t["value"] for t in own)
    ratios = [t["sr_period"] for t in trials[:6]]
    var = float(np.var(ratios, ddof=1))
    over = report["overfitting"]
    assert over["n_trials"] == 6
    assert over["sharpe_variance_per_period"] == pytest.approx(var, rel=1e-12)
    expected = _dsr_by_hand(best["sr_period"], 400, best["skew"], best["kurtosis"], 6, var)
    assert over["deflated_sharpe_ratio"] == pytest.approx(expected, rel=1e-9)
    assert over["likely_luck"] == (expected < 0.95)
    assert "of 6 trials" in over["verdict"]


def test_the_bar_rises_with_the_number_of_trials() -> None:
    """The same winner, picked out of 2 or out of 200 trials with the same spread of Sharpe
    ratios: out of 200 it must clear a higher bar, so its deflated Sharpe ratio falls."""
    rng = np.random.default_rng(3)
    noise = rng.normal(size=750)
    # A winner with a per-bar Sharpe ratio of exactly 0.08 (1.27 a year) over three years.
    winner = _trial(0, "ppo", (noise - noise.mean()) / noise.std(ddof=1) * 0.01 + 0.0008)
    assert winner["sr_period"] == pytest.approx(0.08, rel=1e-12)

    def field(others: np.ndarray) -> list[dict[str, Any]]:
        return [winner] + [
            {**winner, "number": i + 1, "sr_period": float(s), "value": float(s)}
            for i, s in enumerate(others)
        ]

    many_field = field(np.linspace(-0.03, 0.03, 199))  # skill-less others around zero
    variance = float(np.var([t["sr_period"] for t in many_field], ddof=1))
    # Out of 2: one other, placed so that the Sharpe ratios vary exactly as much.
    few_field = field(np.array([winner["sr_period"] - math.sqrt(2 * variance)]))
    few, many = (
        study_report(f, "oos_sharpe", ["ppo"])["overfitting"] for f in (few_field, many_field)
    )
    assert few["sharpe_variance_per_period"] == pytest.approx(variance, rel=1e-9)
    assert many["sharpe_variance_per_period"] == pytest.approx(variance, rel=1e-12)
    assert many["expected_max_sharpe_per_period"] > few["expected_max_sharpe_per_period"]
    assert many["deflated_sharpe_ratio"] < few["deflated_sharpe_ratio"]
    assert few["deflated_sharpe_ratio"] > 0.95 and not few["likely_luck"]
    assert many["likely_luck"] and "The best of 200 trials is likely luck" in many["verdict"]


def test_no_defined_objective_means_no_winner_and_luck() -> None:
    flat = {"number": 0, "state": "complete", "algorithm": "ppo", "value": None,
            **return_stats(np.zeros(50))}  # fmt: skip
    report = study_report([flat], "oos_sharpe", ["ppo"])
    assert report["best"] is None
    assert report["overfitting"]["deflated_sharpe_ratio"] is None
    assert report["overfitting"]["likely_luck"] is True
