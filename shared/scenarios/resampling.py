"""Synthetic OHLC panels resampled from real ones, valid bars by construction.

Both generators move all symbols together (the same historical rows are drawn for every
symbol), so cross-asset correlation survives. Each new bar borrows the intrabar shape of a real
bar: its open gap and its high/low excursions relative to open and close, so high >= max(open,
close) and low <= min(open, close) hold on every synthetic bar.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from arch.univariate import GARCH, ConstantMean

from shared.errors import DataError

F64 = npt.NDArray[np.float64]
FIELDS = ("open", "high", "low", "close")


def _arrays(prices: dict[str, pd.DataFrame]) -> dict[str, F64]:
    out = {name: prices[name].to_numpy(dtype=np.float64) for name in FIELDS}
    if len(out["close"]) < 3:
        raise DataError("a stress test needs at least 3 bars of history", field="prices")
    return out


def _bar_shapes(a: dict[str, F64]) -> tuple[F64, F64, F64]:
    """Per real bar t >= 1: open gap vs previous close, high above and low below the body."""
    prev_close = a["close"][:-1]
    gap = a["open"][1:] / prev_close
    top = np.maximum(a["open"][1:], a["close"][1:])
    bottom = np.minimum(a["open"][1:], a["close"][1:])
    return gap, a["high"][1:] / top, a["low"][1:] / bottom


def _build(
    a: dict[str, F64], rows: npt.NDArray[np.int64], close_ret: F64, index: pd.Index,
    columns: pd.Index, volume: F64 | None,
) -> dict[str, pd.DataFrame]:  # fmt: skip
    """Chain closes from log returns; shape each bar like real bar `rows[t]` (1-based)."""
    gap, high_up, low_down = _bar_shapes(a)
    shape_rows = rows - 1
    close = a["close"][0] * np.exp(
        np.vstack([np.zeros((1, close_ret.shape[1])), np.cumsum(close_ret, axis=0)])
    )
    opens = np.empty_like(close)
    opens[0] = a["open"][0]
    opens[1:] = close[:-1] * gap[shape_rows]
    high = np.empty_like(close)
    low = np.empty_like(close)
    high[0], low[0] = a["high"][0], a["low"][0]
    high[1:] = np.maximum(opens[1:], close[1:]) * high_up[shape_rows]
    low[1:] = np.minimum(opens[1:], close[1:]) * low_down[shape_rows]
    out = {name: pd.DataFrame(v, index=index, columns=columns) for name, v in
           (("open", opens), ("high", high), ("low", low), ("close", close))}  # fmt: skip
    if volume is not None:
        vol = np.empty_like(close)
        vol[0] = volume[0]
        vol[1:] = volume[rows]
        out["volume"] = pd.DataFrame(vol, index=index, columns=columns)
    return out


def block_bootstrap_panel(
    prices: dict[str, pd.DataFrame], rng: np.random.Generator, block_size: int = 20
) -> dict[str, pd.DataFrame]:
    """A same-length path made of randomly chosen blocks of consecutive real bars (all symbols)."""
    a = _arrays(prices)
    n_bars = len(a["close"])
    block = int(min(max(block_size, 1), n_bars - 1))
    log_ret = np.log(a["close"][1:] / a["close"][:-1])
    starts = rng.integers(1, n_bars - block + 1, size=(n_bars - 1) // block + 1)
    rows = (starts[:, None] + np.arange(block)[None, :]).ravel()[: n_bars - 1]
    close_ret = log_ret[rows - 1]
    volume = prices["volume"].to_numpy(dtype=np.float64) if "volume" in prices else None
    return _build(a, rows, close_ret, prices["close"].index, prices["close"].columns, volume)


@dataclass(frozen=True)
class GarchFit:
    """GARCH(1,1) per symbol on percent log returns, and the standardised residuals."""

    mu: F64
    omega: F64
    alpha: F64
    beta: F64
    last_var: F64
    last_resid: F64
    std_resid: F64  # (bars - 1) x symbols


def fit_garch(prices: dict[str, pd.DataFrame]) -> GarchFit:
    """Fit a constant-mean GARCH(1,1) to each symbol's close-to-close log returns (in %)."""
    a = _arrays(prices)
    log_ret = 100.0 * np.log(a["close"][1:] / a["close"][:-1])
    params, last_var, last_resid, resid = [], [], [], []
    for col in range(log_ret.shape[1]):
        model = ConstantMean(log_ret[:, col])
        model.volatility = GARCH(1, 0, 1)
        fit = model.fit(disp="off", show_warning=False)
        mu, omega, alpha, beta = (
            float(fit.params[k]) for k in ("mu", "omega", "alpha[1]", "beta[1]")
        )
        vol = np.asarray(fit.conditional_volatility, dtype=np.float64)
        eps = log_ret[:, col] - mu
        params.append((mu, omega, alpha, beta))
        last_var.append(vol[-1] ** 2)
        last_resid.append(eps[-1])
        resid.append(eps / vol)
    p = np.array(params)
    return GarchFit(p[:, 0], p[:, 1], p[:, 2], p[:, 3], np.array(last_var), np.array(last_resid),
                    np.column_stack(resid))  # fmt: skip


def garch_panel(
    prices: dict[str, pd.DataFrame], fit: GarchFit, rng: np.random.Generator
) -> dict[str, pd.DataFrame]:
    """Filtered historical simulation: GARCH variance driven by resampled real residual rows."""
    a = _arrays(prices)
    n_steps = len(a["close"]) - 1
    rows = rng.integers(1, n_steps + 1, size=n_steps)
    z = fit.std_resid[rows - 1]
    var, eps_prev = fit.last_var.copy(), fit.last_resid.copy()
    out = np.empty_like(z)
    for t in range(n_steps):
        var = fit.omega + fit.alpha * eps_prev**2 + fit.beta * var
        eps_prev = np.sqrt(var) * z[t]
        out[t] = (fit.mu + eps_prev) / 100.0
    volume = prices["volume"].to_numpy(dtype=np.float64) if "volume" in prices else None
    return _build(a, rows, out, prices["close"].index, prices["close"].columns, volume)
