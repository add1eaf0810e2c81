"""Builders that turn signals and sizing rules into target frames for simulate().

Every builder is causal: the target at bar t uses data up to bar t only. Direction frames
hold +1 (long), -1 (short), 0 (flat) or NaN (no new decision: keep).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import pandas as pd
from numba import njit, types

from shared.errors import ValidationError

_B2 = types.Array(types.boolean, 2, "A", readonly=True)


@njit((_B2, _B2, _B2, _B2), cache=True)
def _signal_state_nb(
    long_in: npt.NDArray[np.bool_],
    long_out: npt.NDArray[np.bool_],
    short_in: npt.NDArray[np.bool_],
    short_out: npt.NDArray[np.bool_],
) -> npt.NDArray[np.float64]:
    """Direction wherever it changes (NaN elsewhere) from entry/exit flags."""
    n_bars, n_cols = long_in.shape
    out = np.full((n_bars, n_cols), np.nan)
    for j in range(n_cols):
        state = 0.0
        for t in range(n_bars):
            new = state
            go_long = long_in[t, j] and not long_out[t, j]
            go_short = short_in[t, j] and not short_out[t, j]
            if go_long and not go_short:
                new = 1.0
            elif go_short and not go_long:
                new = -1.0
            elif (state > 0.0 and long_out[t, j]) or (state < 0.0 and short_out[t, j]):
                new = 0.0
            if new != state:
                out[t, j] = new
                state = new
    return out


def signals_to_targets(
    entries: pd.DataFrame,
    exits: pd.DataFrame | None = None,
    *,
    short_entries: pd.DataFrame | None = None,
    short_exits: pd.DataFrame | None = None,
    weight: float = 1.0,
) -> pd.DataFrame:
    """Weights from entry/exit flags: +weight on a long entry, -weight on a short, 0 on exit.

    An exit only closes its own side; an entry while short (or a short entry while long)
    flips. An entry and an exit of the same side on one bar cancel out, as do a long and
    a short entry. Bars with no change are NaN (keep).
    """
    flags = [entries, exits, short_entries, short_exits]
    arrays = [_flags(f, entries, name) for f, name in zip(flags, _FLAG_NAMES, strict=True)]
    state = _signal_state_nb(*arrays)
    return pd.DataFrame(state * float(weight), index=entries.index, columns=entries.columns)


def fixed_fraction(directions: pd.DataFrame, fraction: float) -> pd.DataFrame:
    """Each position sized at `fraction` of equity (NaN keeps)."""
    return directions * float(fraction)


def fixed_cash(directions: pd.DataFrame, amount: float) -> pd.DataFrame:
    """Each position sized at `amount` of cash; tagged so simulate() reads it as values."""
    out = directions * float(amount)
    out.attrs["size_type"] = "value"
    return out


def equal_weight(directions: pd.DataFrame, *, gross: float = 1.0) -> pd.DataFrame:
    """Split `gross` equally across the symbols holding a position at each bar."""
    held = directions.ffill().fillna(0.0)
    active = (held != 0.0).sum(axis=1)
    return held.div(active.where(active > 0), axis=0).fillna(0.0) * float(gross)


def vol_target(
    directions: pd.DataFrame,
    close: pd.DataFrame,
    *,
    target_vol: float = 0.10,
    lookback: int = 20,
    periods_per_year: float = 252.0,
    max_weight: float = 1.0,
    hold: bool = True,
) -> pd.DataFrame:
    """Scale each position to an annualised volatility of `target_vol`.

    Realised volatility is the standard deviation (ddof=1) of the last `lookback` log
    returns up to and including bar t, times sqrt(periods_per_year). The weight is
    direction x min(target_vol / volatility, max_weight), 0 until `lookback` returns exist.
    With hold=True it is fixed when the direction changes and kept until the next change;
    with hold=False it follows the volatility every bar (an order whenever it moves).
    """
    if lookback < 2 or target_vol <= 0.0 or max_weight <= 0.0:
        raise ValidationError(
            "vol_target needs lookback >= 2, target_vol > 0 and max_weight > 0",
            field="vol_target",
        )
    vol = np.log(close).diff().rolling(lookback).std() * math.sqrt(periods_per_year)
    scale = (target_vol / vol).clip(upper=max_weight).fillna(0.0)
    held = directions.ffill().fillna(0.0)
    weights = held * scale
    if not hold:
        return weights
    changed = held.ne(held.shift(fill_value=0.0))
    return weights.where(changed)


def cap_weights(targets: pd.DataFrame, max_weight: float) -> pd.DataFrame:
    """Clip every weight to [-max_weight, max_weight]; NaN (keep) stays NaN."""
    return targets.clip(lower=-float(max_weight), upper=float(max_weight))


_FLAG_NAMES = ("entries", "exits", "short_entries", "short_exits")


def _flags(frame: pd.DataFrame | None, like: pd.DataFrame, name: str) -> npt.NDArray[np.bool_]:
    if frame is None:
        return np.zeros(like.shape, dtype=bool)
    if not frame.index.equals(like.index) or not frame.columns.equals(like.columns):
        raise ValidationError(f"{name} must have the same index and columns as entries", field=name)
    return frame.fillna(False).to_numpy(dtype=bool)
