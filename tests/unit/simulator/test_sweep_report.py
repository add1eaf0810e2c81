"""Sweep grid expansion and the overfitting verdict, on hand-made grids and return series."""

from __future__ import annotations

import numpy as np
import pytest

from shared.errors import ValidationError
from shared.schemas.sweeps import SweepRequest
from shared.stats import moments, partition_stats, sharpe_ratio
from shared.strategies.builtin import get_strategy
from simulator.deciders import StrategyDecider
from simulator.sweeps import expand_grid, grid_size, overfitting_report, ranked

BASE = {"strategy": "sma_crossover", "symbols": ["SP500"]}
SMA = StrategyDecider(get_strategy("sma_crossover"), allow_short=False, position_size=1.0)


def test_grid_expands_ranges_and_skips_invalid_pairs() -> None:
    req = SweepRequest.model_validate(
        {**BASE, "grid": {"fast": {"start": 10, "stop": 30, "step": 10}, "slow": [20, 40]}}
    )
    assert grid_size(req, SMA) == 6
    combos, skipped = expand_grid(req, SMA)
    # (10,20) (10,40) (20,40) (30,40) are strategies; (20,20) and (30,20) have fast >= slow
    assert [(c["fast"], c["slow"]) for c in combos] == [(10, 20), (10, 40), (20, 40), (30, 40)]
    assert skipped == 2


def test_unknown_grid_parameter_is_refused() -> None:
    req = SweepRequest.model_validate({**BASE, "grid": {"speed": [1, 2]}})
    with pytest.raises(ValidationError) as err:
        grid_size(req, SMA)
    assert err.value.field == "grid.speed"


def _row(returns: np.ndarray, name: int) -> dict:
    skew, kurt = moments(returns)
    sr = sharpe_ratio(returns)
    return {"params": {"n": name}, "sharpe": sr * np.sqrt(252), "sr_period": sr, "skew": skew,
            "kurtosis": kurt, "n_obs": len(returns), "partitions": partition_stats(returns, 16).tolist()}  # fmt: skip


def test_the_best_of_many_noise_strategies_is_called_luck() -> None:
    rng = np.random.default_rng(11)
    rows = ranked([_row(rng.normal(0, 0.01, 1600), i) for i in range(200)], "sharpe")
    report = overfitting_report(rows, rows[0])
    assert report["n_trials"] == 200
    assert rows[0]["sharpe"] > 0.7  # looks good in isolation...
    assert report["likely_luck"] is True  # ...but not after 200 trials
    assert report["verdict"].startswith("The best of 200 combinations is likely luck")


def test_a_real_edge_survives_deflation() -> None:
    rng = np.random.default_rng(12)
    noise = [_row(rng.normal(0, 0.01, 1600), i) for i in range(50)]
    edge = _row(rng.normal(0.003, 0.01, 1600), 99)  # Sharpe ~4.8 a year
    rows = ranked([*noise, edge], "sharpe")
    report = overfitting_report(rows, rows[0])
    assert rows[0]["params"] == {"n": 99}
    assert report["deflated_sharpe_ratio"] > 0.99 and report["pbo"] < 0.1
    assert report["likely_luck"] is False
