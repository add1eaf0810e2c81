"""The fused sweep kernel's rows equal evaluate()'s (simulate() and its summary) combination by
combination, over random grids and options; what it cannot run goes to simulate()."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest

from shared.backtest_spec import run_spec
from shared.schemas.sweeps import SweepRequest
from shared.strategies.builtin import get_strategy
from simulator import sweeps
from simulator.deciders import StrategyDecider
from simulator.panel import MarketPanel
from simulator.sweep_grid import build_grid

N_BARS = 420


def _panel(n_symbols: int, seed: int, *, crash: bool = False) -> MarketPanel:
    rng = np.random.default_rng(seed)
    index = pd.date_range("2012-01-02", periods=N_BARS, freq="B", tz="UTC")
    steps = rng.normal(0.0004, 0.015, (N_BARS, n_symbols))
    if crash:  # a slide, then the price quadruples overnight: a leveraged short is wiped out
        steps[170:200] = -0.004
        steps[200] = math.log(4.0)
    close = 50.0 * np.exp(np.cumsum(steps, axis=0))
    open_ = close * np.exp(rng.normal(0.0, 0.004, close.shape))
    symbols = [f"S{j}" for j in range(n_symbols)]
    fields = {
        "open": open_,
        "high": np.fmax(open_, close) * 1.003,
        "low": np.fmin(open_, close) * 0.997,
        "close": close,
        "volume": rng.integers(1_000, 9_000, close.shape).astype(float),
    }
    return MarketPanel(
        {k: pd.DataFrame(v, index=index, columns=symbols) for k, v in fields.items()}
    )


def _random_request(rng: np.random.Generator, strategy: str, n_symbols: int) -> dict[str, Any]:
    if strategy == "sma_crossover":
        grid: dict[str, Any] = {
            "fast": sorted(rng.choice(np.arange(2, 30), 4, replace=False).tolist()),
            "slow": sorted(rng.choice(np.arange(10, 120), 4, replace=False).tolist()),
        }
    else:
        grid = {"period": [int(rng.integers(2, 30)), 14], "lower": [20, 30.5], "exit": [45, 55]}
    short = bool(rng.random() < 0.5)
    leverage = float(rng.choice([1.0, 1.5, 2.0]))
    return {
        "strategy": strategy, "symbols": [f"S{j}" for j in range(n_symbols)], "grid": grid,
        "initial_cash": float(rng.choice([10_000.0, 100_000.0, 2_500.0])),
        "costs": {
            "commission_rate": float(rng.choice([0.0, 0.0005, 0.002])),
            "commission_per_share": float(rng.choice([0.0, 0.01])),
            "commission_min": float(rng.choice([0.0, 1.0])),
            "commission_fixed": float(rng.choice([0.0, 0.5])),
            "slippage_bps": float(rng.choice([0.0, 2.0, 10.0])),
            "spread_bps": float(rng.choice([0.0, 4.0])),
        },
        "execution": {
            "fill": str(rng.choice(["next_open", "close"])),
            "delay_bars": int(rng.integers(0, 3)), "allow_short": short,
            "whole_shares": bool(rng.random() < 0.3), "max_leverage": leverage,
            "position_size": float(rng.choice([0.5, 1.0, leverage])),
            "cash": str(rng.choice(["shared", "per_asset"])),
        },
    }  # fmt: skip


def _assert_rows_equal(got: dict[str, Any], want: dict[str, Any], where: str) -> None:
    assert got["params"] == want["params"], where
    for key, value in want.items():
        if key == "partitions":
            if value is None:
                assert got[key] is None, where
            else:  # block sums can cancel to ~0: compare against the block's size
                np.testing.assert_allclose(got[key], value, rtol=1e-9, atol=1e-13, err_msg=where)
        elif isinstance(value, float):
            assert got[key] == pytest.approx(value, rel=1e-9, abs=1e-12), f"{where}: {key}"
        else:
            assert got[key] == value, f"{where}: {key}"


def _fused_and_reference(req: SweepRequest, panel: MarketPanel) -> list[tuple[dict, dict]]:
    decider = StrategyDecider(
        get_strategy(req.strategy or ""), req.execution.allow_short, req.execution.position_size
    )
    grid = build_grid(req, decider)
    stats, engine, _, _ = sweeps.chunk_stats(req, panel, decider, grid, 0, len(grid))
    assert engine == "fused"
    counts = np.diff(sweeps.st.partition_bounds(len(panel.close) - 1))
    spec = run_spec(req)
    return [
        (
            sweeps.row_of(stats[i], grid.swept_params(i), counts),
            sweeps.evaluate(req, panel, spec, grid.params(i), decider),
        )
        for i in range(len(grid))
    ]


@pytest.mark.parametrize("seed", range(8))
def test_fused_rows_equal_simulate_over_random_grids_and_options(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    strategy = "sma_crossover" if seed % 2 == 0 else "rsi_mean_reversion"
    n_symbols = 1 if seed < 4 else 3
    req = SweepRequest.model_validate(_random_request(rng, strategy, n_symbols))
    pairs = _fused_and_reference(req, _panel(n_symbols, seed))
    assert len(pairs) >= 4
    assert any(want["total_trades"] > 0 for _, want in pairs)
    for got, want in pairs:
        _assert_rows_equal(got, want, f"seed {seed} {want['params']} {req.execution}")


def test_a_ruined_combination_is_reported_as_simulate_reports_it() -> None:
    """A 3x short through a quadrupling price: equity goes below zero, and that case is the summary's
    to define, so the combination runs through simulate()."""
    req = SweepRequest.model_validate({
        "strategy": "sma_crossover", "symbols": ["S0"],
        "grid": {"fast": [3, 5], "slow": [10, 40]}, "costs": {"commission_rate": 0.0},
        "execution": {"allow_short": True, "max_leverage": 3.0, "position_size": 3.0},
    })  # fmt: skip
    panel = _panel(1, 3, crash=True)
    decider = StrategyDecider(get_strategy("sma_crossover"), True, 3.0)
    grid = build_grid(req, decider)
    stats, engine, why, n_general = sweeps.chunk_stats(req, panel, decider, grid, 0, len(grid))
    assert engine == "fused" and n_general > 0 and "equity <= 0" in (why or "")
    spec = run_spec(req)
    for i in range(len(grid)):
        want = sweeps.evaluate(req, panel, spec, grid.params(i), decider)
        got = sweeps.row_of(stats[i], grid.swept_params(i), None)
        _assert_rows_equal(got, {**want, "partitions": None}, str(want["params"]))


def test_missing_bars_and_unsupported_options_take_the_general_engine() -> None:
    panel = _panel(2, 5)
    panel.prices["open"].iloc[100, 1] = math.nan
    base = {
        "strategy": "sma_crossover",
        "symbols": ["S0", "S1"],
        "grid": {"fast": [3], "slow": [20]},
    }
    decider = StrategyDecider(get_strategy("sma_crossover"), False, 1.0)
    for change, reason in (
        ({}, "lack an open or a close"),
        ({"execution": {"stop_loss": 0.05}}, "stop_loss"),
        ({"costs": {"impact": 0.1}}, "slippage bps and spread only"),
    ):
        req = SweepRequest.model_validate({**base, **change})
        grid = build_grid(req, decider)
        source = panel if not change else _panel(2, 5)
        stats, engine, why, n_general = sweeps.chunk_stats(req, source, decider, grid, 0, 1)
        assert (engine, n_general) == ("general", 1) and reason in (why or ""), why
        assert np.isfinite(stats[0, 0])


def test_the_general_engine_validates_once_and_gives_evaluates_rows() -> None:
    """evaluate_many (bars read once, no benchmark) equals evaluate() combination by combination."""
    rng = np.random.default_rng(42)
    req = SweepRequest.model_validate(_random_request(rng, "sma_crossover", 2))
    panel = _panel(2, 42)
    decider = StrategyDecider(
        get_strategy("sma_crossover"), req.execution.allow_short, req.execution.position_size
    )
    grid = build_grid(req, decider)
    combos = [grid.params(i) for i in range(len(grid))]
    spec = run_spec(req)
    for got, params in zip(
        sweeps.evaluate_many(req, panel, spec, combos, decider), combos, strict=True
    ):
        assert got == sweeps.evaluate(req, panel, spec, params, decider)
