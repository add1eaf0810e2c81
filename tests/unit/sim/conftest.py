"""Fixtures and helpers of the simulation tests: random cases and engine/reference runners."""

from __future__ import annotations

import math
from dataclasses import asdict
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import strategies as st

from shared.sim import Commission, SimResult, Slippage, simulate
from tests.unit.sim.sim_reference import Outcome, Params, run_reference

REL = 1e-9


def panel(opens, closes=None, highs=None, lows=None, volumes=None, symbols=None) -> dict:
    """Price panels from lists (1-D for one symbol, 2-D bars x symbols)."""
    o = np.asarray(opens, dtype=float)
    if o.ndim == 1:
        o = o[:, None]
    c = o.copy() if closes is None else np.asarray(closes, dtype=float).reshape(o.shape)
    h = np.fmax(o, c) if highs is None else np.asarray(highs, dtype=float).reshape(o.shape)
    lo = np.fmin(o, c) if lows is None else np.asarray(lows, dtype=float).reshape(o.shape)
    index = pd.date_range("2020-01-01", periods=len(o), freq="B")
    cols = symbols or [f"S{j}" for j in range(o.shape[1])]
    out = {
        name: pd.DataFrame(arr, index=index, columns=cols)
        for name, arr in (("open", o), ("high", h), ("low", lo), ("close", c))
    }
    if volumes is not None:
        vol = np.asarray(volumes, dtype=float).reshape(o.shape)
        out["volume"] = pd.DataFrame(vol, index=index, columns=cols)
    return out


def targets_for(prices: dict, values) -> pd.DataFrame:
    """A targets frame on the panel's index and symbols."""
    close = prices["close"]
    arr = np.asarray(values, dtype=float).reshape(close.shape)
    return pd.DataFrame(arr, index=close.index, columns=close.columns)


def engine_kwargs(p: Params) -> dict[str, Any]:
    """simulate() keywords matching reference Params."""
    return {
        "initial_cash": p.initial_cash,
        "commission": Commission(p.rate, p.per_share, p.min_fee, p.fixed),
        "slippage": Slippage(p.bps, p.spread_bps, p.range_frac, p.impact),
        "fill": p.fill,
        "delay": p.delay,
        "size_type": p.size_type,
        "whole_shares": p.whole_shares,
        "allow_short": p.allow_short,
        "max_leverage": p.max_leverage,
        "rebalance": p.rebalance,
        "stop_loss": p.stop_loss,
        "take_profit": p.take_profit,
        "volume_cap": p.volume_cap,
        "volume_cap_remainder": "carry" if p.carry else "cancel",
        "cash": p.cash,
        "close_at_end": p.close_at_end,
    }


def run_both(prices: dict, targets: pd.DataFrame, p: Params) -> tuple[SimResult, Outcome]:
    """Run the engine and the reference on the same case."""
    result = simulate(prices, targets, **engine_kwargs(p))
    arrays = [prices[k].to_numpy() for k in ("open", "high", "low", "close")]
    vol = prices["volume"].to_numpy() if "volume" in prices else np.full(arrays[0].shape, np.nan)
    ref = run_reference(*arrays, vol, targets.to_numpy(), p)
    return result, ref


def close(a: float, b: float, scale: float) -> bool:
    """Equal to REL relative, or REL * scale absolute near zero; NaN equals NaN."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return abs(a - b) <= REL * max(abs(a), abs(b), scale)


def assert_same(result: SimResult, ref: Outcome, scale: float) -> None:
    """Engine and reference agree on equity, cash, every order and every trade."""
    for name, mine, theirs in (
        ("equity", result.equity.to_numpy(), ref.equity),
        ("cash", result.cash.to_numpy(), ref.cash),
    ):
        bad = [
            i for i, (a, b) in enumerate(zip(mine, theirs, strict=True)) if not close(a, b, scale)
        ]
        assert not bad, f"{name} differs first at bar {bad[0]}: {mine[bad[0]]} vs {theirs[bad[0]]}"
    orders = result.orders.sort_values(["bar", "symbol", "origin"], kind="stable")
    cols = list(result.symbols)
    expected = sorted(ref.orders, key=lambda o: (o.bar, str(cols[o.col]), o.origin))
    assert len(orders) == len(expected), describe(result, ref)
    for (_, mine), theirs in zip(orders.iterrows(), expected, strict=True):
        assert (mine["bar"], mine["symbol"], mine["origin"]) == (
            theirs.bar,
            cols[theirs.col],
            theirs.origin,
        )
        assert (mine["status"], mine["reason"]) == (theirs.status, theirs.reason), (mine, theirs)
        assert mine["decision_bar"] == theirs.decision_bar
        for key in ("requested", "filled", "price", "fees", "slippage", "position"):
            assert close(mine[key], getattr(theirs, key), scale / 100.0), (key, mine, theirs)
    trades = result.trade_records
    assert len(trades) == len(ref.trades)
    for mine, theirs in zip(trades, ref.trades, strict=True):
        want = asdict(theirs)
        for key in ("col", "direction", "entry_bar", "exit_bar"):
            assert mine[key] == want[key], (key, mine, theirs)
        for key in ("entry_qty", "entry_value", "exit_qty", "exit_value", "fees", "slippage"):
            assert close(float(mine[key]), want[key], scale / 100.0), (key, mine, theirs)
        assert close(float(mine["open_qty"]), want["open_qty"], scale / 100.0)
        assert close(float(mine["mark_price"]), want["mark_price"], 1.0)


# --- random cases --------------------------------------------------------------------------


@st.composite
def cases(draw: st.DrawFn) -> tuple[dict, pd.DataFrame, Params]:
    """A small random market, random targets and random engine options."""
    n_bars = draw(st.integers(2, 24))
    n_cols = draw(st.integers(1, 3))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    steps = rng.normal(0.0, 0.03, size=(n_bars, n_cols))
    close = 10.0 * np.exp(np.cumsum(steps, axis=0)) * rng.uniform(0.5, 20.0, size=n_cols)
    open_ = close * np.exp(rng.normal(0.0, 0.01, size=close.shape))
    high = np.fmax(open_, close) * (1.0 + rng.uniform(0.0, 0.03, size=close.shape))
    low = np.fmin(open_, close) * (1.0 - rng.uniform(0.0, 0.03, size=close.shape))
    volume = rng.integers(0, 5_000, size=close.shape).astype(float)
    if draw(st.booleans()):  # some bars missing, as for a late listing or a halt
        holes = rng.random(close.shape) < 0.1
        for arr in (open_, high, low, close, volume):
            arr[holes] = np.nan
    size_type = draw(st.sampled_from(["weight", "weight", "value", "shares"]))
    scale = {"weight": 1.0, "value": 50_000.0, "shares": 3_000.0}[size_type]
    menu = [np.nan, np.nan, 0.0, 0.3, 0.5, 1.0, -0.4, -1.0, 1.5, 0.25]
    picks = rng.integers(0, len(menu), size=close.shape)
    targets = np.asarray(menu)[picks] * scale * rng.choice([1.0, 1.0, 0.97], size=close.shape)
    p = Params(
        initial_cash=draw(st.sampled_from([1_000.0, 100_000.0, 12_345.67])),
        rate=draw(st.sampled_from([0.0, 0.001, 0.01])),
        per_share=draw(st.sampled_from([0.0, 0.005])),
        min_fee=draw(st.sampled_from([0.0, 1.0])),
        fixed=draw(st.sampled_from([0.0, 0.5])),
        bps=draw(st.sampled_from([0.0, 5.0])),
        spread_bps=draw(st.sampled_from([0.0, 10.0])),
        range_frac=draw(st.sampled_from([0.0, 0.1])),
        impact=draw(st.sampled_from([0.0, 0.0, 0.1])),
        fill=draw(st.sampled_from(["next_open", "close"])),
        delay=draw(st.integers(0, 2)),
        size_type=size_type,
        whole_shares=draw(st.booleans()),
        allow_short=draw(st.booleans()),
        max_leverage=draw(st.sampled_from([1.0, 1.0, 0.5, 2.0, math.inf])),
        rebalance=draw(st.sampled_from(["on_change", "on_change", "always", 0.05])),
        stop_loss=draw(st.sampled_from([None, None, 0.02])),
        take_profit=draw(st.sampled_from([None, None, 0.03])),
        volume_cap=draw(st.sampled_from([None, None, 0.5])),
        carry=draw(st.booleans()),
        cash=draw(st.sampled_from(["shared", "per_asset"])),
        close_at_end=draw(st.booleans()),
    )
    if p.volume_cap is None and p.impact == 0.0 and draw(st.booleans()):
        volume[:] = np.nan  # volume unknown
    frame = panel(open_, close, high, low, volume)
    tg = targets_for(frame, targets)
    # a target change must have a price where it fills: blank those that would not
    lag = (1 if p.fill == "next_open" else 0) + p.delay
    ref = (frame["open"] if p.fill == "next_open" else frame["close"]).to_numpy()
    blocked = np.zeros(close.shape, dtype=bool)
    if lag < n_bars:
        blocked[: n_bars - lag] = ~np.isfinite(ref[lag:])
    tg = tg.mask(blocked)
    return frame, tg, p


@pytest.fixture
def flat_prices() -> dict:
    """Four bars of one symbol: opens 10, 11, 12, 13 and closes 0.5 higher."""
    return panel([10.0, 11.0, 12.0, 13.0], [10.5, 11.5, 12.5, 13.5])


def describe(result: SimResult, ref: Outcome) -> str:
    """Both order lists side by side, for a failing comparison."""
    mine = result.orders[["bar", "symbol", "origin", "status", "reason", "filled", "price"]]
    theirs = pd.DataFrame([vars(o) for o in ref.orders])
    return f"\nengine:\n{mine.to_string()}\nreference:\n{theirs.to_string()}"
