"""Parameter sweep of an SMA crossover on one symbol: signals and backtest in one pass.

Each (fast, slow) pair runs in parallel (numba prange) with simulate()'s options (a RunSpec)
and its own sizing, cost and buying-power helpers (shared.sim.execution), restricted to one
symbol, weight targets and no stops; the results equal simulate(prices,
sma_cross_targets(...)) with the same options (tested).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from numba import njit, prange, types

from shared.errors import ValidationError
from shared.features.indicators import sma
from shared.sim import enums as en
from shared.sim.execution import cut_order_nb, fill_terms_nb, negligible_nb, want_nb
from shared.sim.inputs import read_prices
from shared.sim.kernel_args import (
    FILL_COSTS_T,
    KERNEL_RULES_T,
    FillCosts,
    KernelRules,
    kernel_args,
)
from shared.sim.metrics import periods_per_year
from shared.sim.spec import RunSpec, with_options
from shared.sim.timing import decision_bar_nb

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
# the sweep's base options when none are given: crossovers go long or flat, never short
LONG_FLAT = RunSpec(allow_short=False)
COLUMNS = ("portfolio_end", "total_return_pct", "max_drawdown_pct", "sharpe", "total_trades")

_A2 = types.Array(types.float64, 2, "A", readonly=True)
_A1 = types.Array(types.float64, 1, "A", readonly=True)
_I1 = types.Array(types.int64, 1, "A", readonly=True)
_F = types.float64
_SWEEP_SIG = (_A1, _A1, _A2, _I1, _I1, FILL_COSTS_T, KERNEL_RULES_T, _F, _F, _F)


def moving_averages(close: F64, windows: Sequence[int]) -> F64:
    """Simple moving averages (windows x bars), the strategies' own; NaN before each fills."""
    # a one-bar average is the close itself (the indicator module starts at two bars)
    return np.vstack([close if w == 1 else sma(close, w) for w in windows])


def cross_targets(fast_ma: F64, slow_ma: F64, weight: float, allow_short: bool) -> F64:
    """+weight while the fast average is above the slow one, else 0 (or -weight)."""
    low = -weight if allow_short else 0.0
    return np.where(np.isnan(slow_ma), np.nan, np.where(fast_ma > slow_ma, weight, low))


def sma_cross_targets(
    close: pd.Series, fast: int, slow: int, *, weight: float = 1.0, allow_short: bool = False
) -> pd.Series:
    """The targets one sweep combination trades, for checking it with simulate()."""
    ma = moving_averages(close.to_numpy(dtype=np.float64), [fast, slow])
    return pd.Series(cross_targets(ma[0], ma[1], weight, allow_short), index=close.index)


@njit(cache=True)
def _rebalance_nb(
    target: float, ref: float, cash: float, held: float, cost: FillCosts, rules: KernelRules
) -> tuple[float, float]:
    """One symbol's order at `ref`, sized, cut and filled by simulate()'s own helpers.

    Returns (cash, position) after it. One symbol in one account: the account's gross
    exposure is the position itself, and no volume cap or impact applies (both refused).
    """
    equity = cash + held * ref
    want = want_nb(target, ref, equity, en.SIZE_WEIGHT, rules.whole)
    if math.isnan(want):  # a weight asked of an account with no equity
        return cash, held
    if want < 0.0 and not rules.allow_short:
        want = 0.0
    if negligible_nb(want, held):
        return cash, held
    after, _, _ = cut_order_nb(
        held, want, en.REASON_NONE, ref, cost.base, np.nan, equity, abs(held) * ref, cost, rules
    )
    qty = after - held
    if qty == 0.0:
        return cash, held
    price, fee, _ = fill_terms_nb(qty, ref, cost.base, np.nan, cost)
    return cash - (qty * price + fee), after


@njit(_SWEEP_SIG, parallel=True, cache=True)
def sma_sweep_nb(
    open_: F64, close: F64, ma: F64, fast_row: I64, slow_row: I64, cost: FillCosts,
    rules: KernelRules, weight: float, initial_cash: float, ppy: float,
) -> F64:  # fmt: skip
    """Backtest every (fast_row[k], slow_row[k]) crossover; one row of COLUMNS per pair."""
    n_bars = close.shape[0]
    n = fast_row.shape[0]
    out = np.empty((n, len(COLUMNS)))
    low = -weight if rules.allow_short else 0.0
    for k in prange(n):
        fast, slow = ma[fast_row[k]], ma[slow_row[k]]
        cash, held, last, trades = initial_cash, 0.0, 0.0, 0
        prev, peak, worst = initial_cash, initial_cash, 0.0
        count, mean, m2 = 0, 0.0, 0.0
        for t in range(n_bars):
            dec = decision_bar_nb(t, rules.lag)
            if dec >= 0 and not math.isnan(slow[dec]):
                target = weight if fast[dec] > slow[dec] else low
                if target != last:
                    last = target
                    ref = open_[t] if rules.fill_at_open else close[t]
                    was = held
                    cash, held = _rebalance_nb(target, ref, cash, held, cost, rules)
                    if held != 0.0 and (was == 0.0 or was * held < 0.0):
                        trades += 1
            equity = cash + held * close[t]
            r = 0.0 if equity == prev else equity / prev - 1.0
            prev = equity
            count += 1
            delta = r - mean
            mean += delta / count
            m2 += delta * (r - mean)
            if equity > peak:
                peak = equity
            elif 1.0 - equity / peak > worst:
                worst = 1.0 - equity / peak
        std = math.sqrt(m2 / (count - 1)) if count > 1 else np.nan
        out[k, 0] = prev
        out[k, 1] = (prev / initial_cash - 1.0) * 100.0
        out[k, 2] = worst * 100.0
        out[k, 3] = mean / std * math.sqrt(ppy) if std > 0.0 else np.nan
        out[k, 4] = trades
    return out


def sma_cross_sweep(
    prices: pd.DataFrame,
    fast: Sequence[int],
    slow: Sequence[int],
    *,
    weight: float = 1.0,
    spec: RunSpec | None = None,
    **options: Any,
) -> pd.DataFrame:
    """Backtest every fast < slow SMA crossover on one symbol's OHLC frame, in parallel.

    Long `weight` while the fast average is above the slow one, else flat, or short with
    allow_short=True. `spec` and `options` are simulate()'s (see RunSpec), except that
    without a spec the sweep starts from RunSpec(allow_short=False): long/flat unless asked.
    The options the sweep cannot run (stops, volume cap, range or impact slippage,
    rebalancing, size types other than weight, close_at_end) are refused.
    """
    spec = with_options(LONG_FLAT if spec is None else spec, options)
    _refuse_unsupported(spec)
    arrays = read_prices(prices, pd.Series(np.nan, index=prices.index, name="asset"))
    open_, close = arrays.open[:, 0], arrays.close[:, 0]
    if not (np.isfinite(open_).all() and np.isfinite(close).all()):
        raise ValidationError("the sweep needs an open and a close on every bar", field="prices")
    pairs = [(f, s) for f in fast for s in slow if 0 < f < s <= len(close)]
    if not pairs:
        raise ValidationError("no pair with 0 < fast < slow <= bars", field="fast")
    windows = sorted({w for pair in pairs for w in pair})
    row = {w: i for i, w in enumerate(windows)}
    stats = sma_sweep_nb(
        open_,
        close,
        moving_averages(close, windows),
        np.array([row[f] for f, _ in pairs], dtype=np.int64),
        np.array([row[s] for _, s in pairs], dtype=np.int64),
        *kernel_args(spec),
        float(weight),
        spec.initial_cash,
        spec.periods_per_year or periods_per_year(arrays.index),
    )
    index = pd.MultiIndex.from_tuples(pairs, names=["fast", "slow"])
    frame = pd.DataFrame(stats, index=index, columns=list(COLUMNS))
    return frame.astype({"total_trades": np.int64})


def _refuse_unsupported(spec: RunSpec) -> None:
    """Refuse the options the one-pass kernel does not implement, naming each."""
    for name in ("range_frac", "impact"):
        if getattr(spec.slippage, name):
            raise ValidationError(
                "the sweep supports slippage bps and spread only; use simulate() with "
                f"sma_cross_targets() for slippage.{name}",
                field=f"slippage.{name}",
            )
    unsupported = {
        "size_type": spec.size_type not in (None, "weight"),
        "rebalance": spec.rebalance != "on_change",
        "stop_loss": spec.stop_loss is not None,
        "take_profit": spec.take_profit is not None,
        "volume_cap": spec.volume_cap is not None,
        "close_at_end": spec.close_at_end,
    }
    for name, refused in unsupported.items():
        if refused:
            raise ValidationError(
                f"the sweep cannot run {name}={getattr(spec, name)!r}; use simulate() with "
                "sma_cross_targets() for it",
                field=name,
            )
