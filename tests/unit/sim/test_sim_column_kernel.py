"""The column-by-column kernel (an account per column) gives exactly what the row kernel gives.

simulate() runs a column-major panel with cash per asset on shared.sim.column_kernel; these
tests run both kernels on the same arrays and compare every output bit for bit, and check the
dispatch, the fallback to the row kernel when an account is ruined, and the target check the
kernel makes as it reads the targets of a panel with every price.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from shared.errors import ValidationError
from shared.sim import Commission, RunSpec, Slippage, simulate
from shared.sim.column_kernel import applies, in_row_order_nb, simulate_columns_nb
from shared.sim.inputs import read_prices, read_targets, scan_targets
from shared.sim.kernel_args import kernel_args
from shared.sim.kernels import simulate_nb
from tests.unit.sim.conftest import assert_same, panel, run_both, targets_for
from tests.unit.sim.sim_reference import Params

OPTIONS = [
    {},
    {"commission": Commission(rate=0.001), "slippage": Slippage(bps=5.0, spread_bps=4.0)},
    {"fill": "close", "delay": 1, "whole_shares": True},
    {"delay": 2, "allow_short": False, "commission": Commission(0.0, 0.01, 1.0, 0.5)},
    {"max_leverage": 2.0, "slippage": Slippage(range_frac=0.2, impact=0.1)},
    {"size_type": "value", "close_at_end": True, "commission": Commission(rate=0.002)},
    {"size_type": "shares", "whole_shares": True, "max_leverage": 1.5, "close_at_end": True},
    {"max_leverage": 1.5, "fill": "close", "slippage": Slippage(impact=0.5)},
]
MENU = {
    "weight": [np.nan, np.nan, np.nan, 0.0, 0.5, 1.0, -0.5, 0.9, 2.5, 0.5 + 1e-12],
    "value": [np.nan, np.nan, 0.0, 20_000.0, -15_000.0, 90_000.0, 400_000.0],
    "shares": [np.nan, np.nan, 0.0, 150.0, -80.0, 2_000.0, 40.5],
}


def _random_panel(rng: np.random.Generator, n_bars: int, n_cols: int, gaps: bool) -> dict:
    """A column-major panel (as pandas builds one column by column), NaN gaps if asked."""
    close = 40.0 * np.exp(np.cumsum(rng.normal(0.0, 0.04, (n_bars, n_cols)), axis=0))
    open_ = close * np.exp(rng.normal(0.0, 0.01, close.shape))
    high, low = np.fmax(open_, close) * 1.01, np.fmin(open_, close) * 0.99
    volume = rng.integers(1, 5_000, close.shape).astype(float)
    fields = {"open": open_, "high": high, "low": low, "close": close, "volume": volume}
    if gaps:
        halted = rng.random(close.shape) < 0.08
        halted[: rng.integers(0, n_bars // 2), 0] = True  # a late listing
        for name in ("open", "high", "low", "close"):
            fields[name] = np.where(halted, np.nan, fields[name])
    index = pd.date_range("2021-01-04", periods=n_bars, freq="B")
    cols = [f"S{j}" for j in range(n_cols)]
    return {
        k: pd.DataFrame(np.asfortranarray(v), index=index, columns=cols) for k, v in fields.items()
    }


def _both_kernels(prices: dict, targets: pd.DataFrame, spec: RunSpec) -> tuple[tuple, tuple]:
    arrays = read_prices(prices, targets, spec.fields_read)
    ref = arrays.open if spec.fill == "next_open" else arrays.close
    values, changes = scan_targets(read_targets(targets, arrays), arrays, ref, spec.lag)
    cost, rules = kernel_args(spec)
    n_cols = len(arrays.symbols)
    cash = np.full(n_cols, spec.initial_cash / n_cols)
    assert applies(rules, arrays.close, values)
    columns = simulate_columns_nb(
        arrays.open.T, arrays.high.T, arrays.low.T, arrays.close.T, arrays.volume.T, values.T,
        cash, cost, rules, not arrays.missing_prices, 4,  # a small capacity: the records grow
    )  # fmt: skip
    rows = simulate_nb(
        arrays.open, arrays.high, arrays.low, arrays.close, arrays.volume, values,
        np.arange(n_cols, dtype=np.int64), cash, cost, rules, changes + n_cols,
    )  # fmt: skip
    return columns, rows


def _assert_identical(columns: tuple, rows: tuple) -> None:
    *outputs, keys, opened, finished = columns
    assert finished
    in_row_order_nb(outputs[3], outputs[4], keys, opened, len(outputs[0]))
    names = ("equity", "cash", "gross", "orders", "trades", "positions", "marks")
    for name, got, want in zip(names, outputs, rows, strict=True):
        if got.dtype.names is None:
            np.testing.assert_array_equal(got, want, err_msg=name)
            continue
        assert got.shape == want.shape, name
        for field in got.dtype.names:
            np.testing.assert_array_equal(got[field], want[field], err_msg=f"{name}.{field}")


@pytest.mark.parametrize("gaps", [False, True], ids=["complete", "gaps"])
@pytest.mark.parametrize("options", OPTIONS, ids=range(len(OPTIONS)))
@pytest.mark.parametrize("seed", range(3))
def test_column_kernel_equals_row_kernel(seed: int, options: dict, gaps: bool) -> None:
    rng = np.random.default_rng(seed)
    n_bars, n_cols = 70, 9
    prices = _random_panel(rng, n_bars, n_cols, gaps)
    spec = RunSpec(cash="per_asset", **options)
    menu = np.array(MENU[spec.size_type or "weight"])
    picks = menu[rng.integers(0, len(menu), (n_bars, n_cols))]
    targets = pd.DataFrame(np.asfortranarray(picks), index=prices["close"].index,
                           columns=prices["close"].columns)  # fmt: skip
    columns, rows = _both_kernels(prices, targets, spec)
    assert len(rows[3]) > n_cols  # orders of every kind: filled, reduced, rejected
    _assert_identical(columns, rows)


def test_column_major_wide_panel_matches_the_reference() -> None:
    """The independent reference, on the column kernel's path (per asset, column-major)."""
    rng = np.random.default_rng(7)
    n_bars, n_cols = 40, 20
    close = 20.0 * np.exp(np.cumsum(rng.normal(0.0, 0.08, (n_bars, n_cols)), axis=0))
    open_ = close * np.exp(rng.normal(0.0, 0.02, close.shape))
    frame = panel(open_, close, np.fmax(open_, close) * 1.02, np.fmin(open_, close) * 0.98)
    frame = {k: pd.DataFrame(np.asfortranarray(v), index=v.index, columns=v.columns)
             for k, v in frame.items()}  # fmt: skip
    menu = np.array([np.nan, np.nan, 0.0, 0.5, 1.0, -0.8, 0.3])
    targets = targets_for(frame, menu[rng.integers(0, len(menu), close.shape)])
    targets = pd.DataFrame(np.asfortranarray(targets), index=targets.index, columns=targets.columns)
    params = Params(cash="per_asset", rate=0.001, bps=3.0, close_at_end=True, whole_shares=True,
                    initial_cash=200_000.0)  # fmt: skip
    result, ref = run_both(frame, targets, params)
    assert len(result.order_records) > n_cols
    assert_same(result, ref, params.initial_cash)


def test_a_ruined_account_is_left_to_the_row_kernel() -> None:
    """The column kernel stops at a ruin; simulate() then gives the row kernel's run."""
    n_bars = 12
    rising = np.linspace(10.0, 60.0, n_bars)
    close = np.column_stack([rising, np.full(n_bars, 10.0), rising[::-1]])
    prices = {k: pd.DataFrame(np.asfortranarray(close), columns=["UP", "FLAT", "DOWN"],
                              index=pd.date_range("2022-01-03", periods=n_bars, freq="B"))
              for k in ("open", "high", "low", "close")}  # fmt: skip
    targets = pd.DataFrame(np.nan, index=prices["close"].index, columns=prices["close"].columns)
    targets.iloc[0] = [-3.0, 1.0, 1.0]  # the 3x short in UP is ruined as the price rises
    targets = pd.DataFrame(np.asfortranarray(targets), index=targets.index, columns=targets.columns)
    spec = RunSpec(cash="per_asset", max_leverage=3.0)
    columns, rows = _both_kernels(prices, targets, spec)
    assert not columns[-1]
    result = simulate(prices, targets, spec)
    np.testing.assert_array_equal(result.equity.to_numpy(), rows[0])
    assert (result.order_records["origin"] == 6).sum() == 1  # the row kernel's ruin close


def test_row_major_panels_and_other_rules_stay_on_the_row_kernel() -> None:
    prices = _random_panel(np.random.default_rng(1), 20, 3, gaps=False)
    targets = pd.DataFrame(np.asfortranarray(np.full((20, 3), 0.3)),
                           index=prices["close"].index, columns=prices["close"].columns)  # fmt: skip
    arrays = read_prices(prices, targets)
    values = read_targets(targets, arrays)
    _, rules = kernel_args(RunSpec(cash="per_asset"))
    assert applies(rules, arrays.close, values)
    assert not applies(rules, np.ascontiguousarray(arrays.close), np.ascontiguousarray(values))
    for option in ({"rebalance": "always"}, {"stop_loss": 0.05}, {"volume_cap": 0.1}):
        _, other = kernel_args(RunSpec(cash="per_asset", **option))
        assert not applies(other, arrays.close, values)


@pytest.mark.parametrize("bar", [5, 19], ids=["inside", "decided-on-the-last-bar"])
def test_an_infinite_target_is_refused_on_the_column_path(bar: int) -> None:
    """With every price present simulate() skips the separate target scan: the column kernel
    stops at the infinite target, and the error names it as the scan would (even on the last
    bar, whose order would fall after the run)."""
    prices = _random_panel(np.random.default_rng(3), 20, 3, gaps=False)
    values = np.full((20, 3), np.nan)
    values[2] = 0.5
    values[bar, 2] = -np.inf
    index, cols = prices["close"].index, prices["close"].columns
    targets = pd.DataFrame(np.asfortranarray(values), index=index, columns=cols)
    arrays = read_prices(prices, targets)
    cost, rules = kernel_args(RunSpec(cash="per_asset"))
    stopped = simulate_columns_nb(
        arrays.open.T, arrays.high.T, arrays.low.T, arrays.close.T, arrays.volume.T,
        read_targets(targets, arrays).T, np.full(3, 1000.0), cost, rules, True, 4,
    )  # fmt: skip
    assert not stopped[-1]
    with pytest.raises(ValidationError, match=f"S2: target is infinite at {index[bar]}"):
        simulate(prices, targets, cash="per_asset")
