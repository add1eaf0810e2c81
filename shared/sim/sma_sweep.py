"""Parameter sweep of an SMA crossover on one symbol: signals, backtest and summary in one pass.

Each (fast, slow) pair runs on the fused sweep kernel (shared.sim.sweep_kernel) with
simulate()'s options (a RunSpec), restricted to one symbol, weight targets and no stops;
the results equal simulate(prices, sma_cross_targets(...)).summary with the same options
(tested), and the targets are the built-in sma_crossover strategy's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from shared.errors import ValidationError
from shared.sim.inputs import read_prices
from shared.sim.spec import RunSpec, with_options
from shared.sim.sweep_fused import fused_stats, moving_averages
from shared.sim.sweep_stats import FIGURES, RUINED, TRADES

F64 = npt.NDArray[np.float64]
# the sweep's base options when none are given: crossovers go long or flat, never short
LONG_FLAT = RunSpec(allow_short=False)
COLUMNS = (
    "portfolio_end", "total_return_pct", "max_drawdown_pct", "sharpe", "sortino", "calmar",
    "total_trades", "sr_period", "skew", "kurtosis", "ruined",
)  # fmt: skip


def cross_targets(fast_ma: F64, slow_ma: F64, weight: float, allow_short: bool) -> F64:
    """+weight while the fast average is above the slow one, -weight below it (with
    allow_short), else 0; NaN (keep: flat) before the slow average exists."""
    low = np.where(fast_ma < slow_ma, -weight, 0.0) if allow_short else 0.0
    return np.where(np.isnan(slow_ma), np.nan, np.where(fast_ma > slow_ma, weight, low))


def sma_cross_targets(
    close: pd.Series, fast: int, slow: int, *, weight: float = 1.0, allow_short: bool = False
) -> pd.Series:
    """The targets one sweep combination trades, for checking it with simulate()."""
    ma = moving_averages(close.to_numpy(dtype=np.float64), [fast, slow])
    return pd.Series(cross_targets(ma[0], ma[1], weight, allow_short), index=close.index)


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
    rebalancing, size types other than weight, close_at_end) are refused. Columns: the
    summary's figures (shared.sim.metrics), total_trades, and sr_period, skew and kurtosis
    of the bar returns; `ruined` marks a pair whose equity reached zero or below (simulate()
    defines what its summary reports then: run that pair there).
    """
    spec = with_options(LONG_FLAT if spec is None else spec, options)
    _refuse_unsupported(spec)
    arrays = read_prices(prices, pd.Series(np.nan, index=prices.index, name="asset"))
    open_, close = arrays.open, arrays.close
    if not (np.isfinite(open_).all() and np.isfinite(close).all()):
        raise ValidationError("the sweep needs an open and a close on every bar", field="prices")
    columns = _pairs(fast, slow, close.shape[0])
    stats = fused_stats("sma_crossover", columns, open_, close, arrays.index, spec, float(weight))
    index = pd.MultiIndex.from_arrays([columns["fast"], columns["slow"]], names=["fast", "slow"])
    figures: dict[str, npt.NDArray[Any]] = {c: stats[:, FIGURES.index(c)] for c in COLUMNS}
    figures["total_trades"] = stats[:, TRADES].astype(np.int64)
    figures["ruined"] = stats[:, RUINED] > 0.0
    return pd.DataFrame(figures, index=index)


def _pairs(fast: Sequence[int], slow: Sequence[int], n_bars: int) -> dict[str, npt.NDArray[Any]]:
    """The (fast, slow) pairs with 0 < fast < slow <= n_bars, fast-major, as two columns."""
    f, s = np.meshgrid(np.asarray(fast), np.asarray(slow), indexing="ij")
    keep = (f > 0) & (f < s) & (s <= n_bars)
    if not keep.any():
        raise ValidationError("no pair with 0 < fast < slow <= bars", field="fast")
    return {"fast": f[keep], "slow": s[keep]}


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
