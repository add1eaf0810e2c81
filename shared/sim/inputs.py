"""Front door for market data and targets: shape, label and value checks, NumPy out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd

from shared.errors import ValidationError
from shared.sim.checks import (
    count_valid_pair_nb,
    count_valid_prices_nb,
    defer_unfillable_nb,
    first_non_positive_nb,
    scan_targets_nb,
)
from shared.sim.enums import FILL_PRICE_MISSING, TARGET_INFINITE

F64 = npt.NDArray[np.float64]
FIELDS = ("open", "high", "low", "close")
_KEEP = (*FIELDS, "volume")
PricesLike: TypeAlias = Mapping[str, pd.DataFrame] | pd.DataFrame


@dataclass(frozen=True)
class PriceArrays:
    """Validated bars x symbols arrays (read-only views; volume is NaN where unknown)."""

    index: pd.Index
    symbols: pd.Index
    open: F64
    high: F64
    low: F64
    close: F64
    volume: F64
    has_volume: bool
    missing_prices: bool = False
    """Some open or close is NaN (a halt, a late listing): orders due there wait."""


def read_prices(
    prices: PricesLike,
    targets: pd.DataFrame | pd.Series,
    checked: tuple[str, ...] = ("open", "high", "low", "close", "volume"),
) -> PriceArrays:
    """Turn any accepted prices shape into PriceArrays (read-only views).

    The `checked` fields (those the run reads) must be positive and finite where present;
    volume must not be negative.
    """
    index, symbols, arrays = _split_fields(prices, targets)
    _check_index(index)
    missing = False
    names = [name for name in FIELDS if name in checked]
    flats = [arrays[name].ravel(order="K") for name in names]  # views of contiguous panels
    for name, flat, good in zip(names, flats, _count_valid(flats), strict=True):
        if good < flat.size:  # not every price positive and finite: gaps, or bad prices
            has_gaps = _check_positive(arrays[name], flat, name, index, symbols)
            missing |= has_gaps and name in ("open", "close")
    volume = arrays.get("volume")
    checking = volume is not None and "volume" in checked and volume.size > 0
    if checking and np.fmin.reduce(volume.ravel(order="K")) < 0.0:  # type: ignore[union-attr]
        raise ValidationError("prices['volume'] has negative values", field="prices.volume")
    if volume is None:
        volume = np.broadcast_to(np.nan, arrays["close"].shape)  # unknown everywhere, no copy
    return PriceArrays(
        index=index,
        symbols=symbols,
        open=arrays["open"],
        high=arrays["high"],
        low=arrays["low"],
        close=arrays["close"],
        volume=volume,
        has_volume="volume" in arrays,
        missing_prices=missing,
    )


def read_targets(targets: pd.DataFrame | pd.Series, arrays: PriceArrays) -> F64:
    """Targets as read-only float64 (bars x symbols), aligned to the prices by label."""
    if isinstance(targets, pd.Series):
        if len(arrays.symbols) != 1:
            raise ValidationError(
                "targets is a Series but prices has several symbols; pass a DataFrame with "
                "one column per symbol",
                field="targets",
            )
        _check_same_index(targets.index, arrays.index)
        _check_numeric([targets.dtype])
        return _readonly_array(_as_float(targets.to_numpy(), "targets").reshape(-1, 1))
    if not isinstance(targets, pd.DataFrame):
        raise ValidationError(
            f"targets must be a DataFrame (timestamps x symbols), got {type(targets).__name__}",
            field="targets",
        )
    _check_same_index(targets.index, arrays.index)
    if not targets.columns.equals(arrays.symbols):
        missing = arrays.symbols.difference(targets.columns)
        extra = targets.columns.difference(arrays.symbols)
        if len(missing) or len(extra) or targets.columns.has_duplicates:
            raise ValidationError(
                "targets and prices must have the same symbols once each; missing from "
                f"targets: {list(missing)[:5]}, not in prices: {list(extra)[:5]}",
                field="targets",
            )
        targets = targets[arrays.symbols]
    _check_numeric(list(dict.fromkeys(targets.dtypes)))
    return _readonly(targets, "targets")


def scan_targets(values: F64, arrays: PriceArrays, ref: F64, lag: int) -> tuple[F64, int]:
    """Check target values and fill prices; returns the targets to run and their changes.

    A target change due on a bar without a price (a halt, a symbol not listed yet) waits for
    the symbol's next bar with one: it is moved in a copy of `values`, which is returned (the
    caller's array is never written).
    """
    gaps = arrays.missing_prices
    verdict, bar, col, changes = scan_targets_nb(values.T, ref.T, lag, gaps)
    if verdict == FILL_PRICE_MISSING:
        deferred = np.array(values, dtype=np.float64)
        defer_unfillable_nb(deferred, ref, lag)
        values = _readonly_array(deferred)
        verdict, bar, col, changes = scan_targets_nb(values.T, ref.T, lag, gaps)
    index, symbols = arrays.index, arrays.symbols
    if verdict == TARGET_INFINITE:
        raise ValidationError(
            f"{symbols[col]}: target is infinite at {index[bar]}; use a finite number "
            "(NaN keeps the position)",
            field="targets",
        )
    if verdict == FILL_PRICE_MISSING:
        raise ValidationError(
            f"{symbols[col]}: the target changes at {index[bar]} but bar "
            f"{index[bar + lag]}, where it would fill, has no price; fill the gap in the "
            "data or leave the target NaN there",
            field="prices",
        )
    return values, changes


def _split_fields(
    prices: PricesLike, targets: pd.DataFrame | pd.Series
) -> tuple[pd.Index, pd.Index, dict[str, F64]]:
    if isinstance(prices, pd.DataFrame) and not isinstance(prices.columns, pd.MultiIndex):
        # one symbol, one column per field
        return prices.index, _symbol_index(_single_symbol(targets)), _one_symbol_fields(prices)
    if isinstance(prices, Mapping):
        found = {str(k).lower(): v for k, v in prices.items()}
    elif isinstance(prices, pd.DataFrame):
        level = prices.columns.get_level_values(0).astype(str).str.lower()
        found = {name: prices.loc[:, level == name].droplevel(0, axis=1) for name in set(level)}
    else:
        raise ValidationError(
            "prices must be a mapping {'open': df, 'high': df, 'low': df, 'close': df, "
            f"'volume': df}} or a DataFrame, got {type(prices).__name__}",
            field="prices",
        )
    _require_fields(found)
    close = found["close"]
    if not isinstance(close, pd.DataFrame):
        raise ValidationError("prices['close'] must be a DataFrame", field="prices.close")
    arrays = {}
    for name in _KEEP:
        frame = found.get(name)
        if frame is None:
            continue
        if not isinstance(frame, pd.DataFrame) or not (
            frame.index.equals(close.index) and frame.columns.equals(close.columns)
        ):
            raise ValidationError(
                f"prices['{name}'] must be a DataFrame with the same timestamps and symbols "
                "as prices['close']",
                field=f"prices.{name}",
            )
        arrays[name] = _readonly(frame, f"prices.{name}")
    return close.index, close.columns, arrays


def _one_symbol_fields(prices: pd.DataFrame) -> dict[str, F64]:
    """The fields of a one-symbol frame (a column per field) as (bars x 1) read-only arrays."""
    where = {str(k).lower(): i for i, k in enumerate(prices.columns)}
    _require_fields(where)
    if all(isinstance(dtype, np.dtype) and dtype.kind in "fiu" for dtype in prices.dtypes):
        # plain NumPy numbers: one to_numpy() of the frame (column-major, so each field is a
        # contiguous view) costs less than taking the columns out one by one
        block = np.asarray(prices.to_numpy(), dtype=np.float64)
        return {
            name: _readonly_array(block[:, where[name]].reshape(-1, 1))
            for name in _KEEP
            if name in where
        }
    return {
        name: _readonly_array(
            _as_float(prices.iloc[:, where[name]].to_numpy(), name).reshape(-1, 1)
        )
        for name in _KEEP
        if name in where
    }


def _symbol_index(symbol: object) -> pd.Index:
    """pd.Index([symbol]) from a cache per label: inferring the label's dtype costs as much as
    the rest of reading a one-symbol frame. A view, so that renaming one run's index leaves
    the others' alone (the values are immutable)."""
    try:
        return _cached_symbol_index(symbol).view()
    except TypeError:  # a label that cannot be hashed
        return pd.Index([symbol])


@lru_cache(maxsize=256, typed=True)  # typed: 1, 1.0 and True are different labels
def _cached_symbol_index(symbol: object) -> pd.Index:
    return pd.Index([symbol])


def _require_fields(found: Mapping[str, object]) -> None:
    absent = [name for name in FIELDS if name not in found]
    if absent:
        raise ValidationError(
            f"prices lacks {absent}; pass open, high, low and close panels (volume optional)",
            field="prices",
        )


def _single_symbol(targets: pd.DataFrame | pd.Series) -> object:
    if isinstance(targets, pd.Series):
        return targets.name if targets.name is not None else "asset"
    if isinstance(targets, pd.DataFrame) and targets.shape[1] == 1:
        return targets.columns[0]
    raise ValidationError(
        "prices has one column per field (one symbol), but targets has several columns; "
        "pass prices as {'open': df, ...} panels with one column per symbol",
        field="prices",
    )


def _check_same_index(got: pd.Index, want: pd.Index) -> None:
    if not got.equals(want):
        raise ValidationError(
            f"targets has {len(got)} timestamps, prices {len(want)}, and they differ; use "
            "targets.reindex(prices_index) (NaN keeps the position)",
            field="targets",
        )


def _check_numeric(dtypes: list[object]) -> None:
    if any(pd.api.types.is_bool_dtype(dtype) for dtype in dtypes):
        raise ValidationError(
            "targets are booleans; turn entry/exit signals into weights with "
            "shared.sim.signals_to_targets",
            field="targets",
        )
    if not all(pd.api.types.is_numeric_dtype(dtype) for dtype in dtypes):
        raise ValidationError("targets must be numeric (weights, cash or shares)", field="targets")


def _check_index(index: pd.Index) -> None:
    if len(index) == 0:
        raise ValidationError("prices has no bars", field="prices")
    if index.has_duplicates:
        raise ValidationError(
            f"prices index has duplicate timestamps (first {index[index.duplicated()][0]}); "
            "drop them",
            field="prices",
        )
    if not index.is_monotonic_increasing:
        raise ValidationError("prices index is not sorted; sort it ascending", field="prices")


def _count_valid(flats: list[F64]) -> list[int]:
    """How many prices of each array are positive and finite, two arrays a pass."""
    counts: list[int] = []
    for k in range(0, len(flats) - 1, 2):
        counts.extend(count_valid_pair_nb(flats[k], flats[k + 1]))
    if len(flats) % 2:
        counts.append(count_valid_prices_nb(flats[-1]))
    return counts


def _check_positive(values: F64, flat: F64, name: str, index: pd.Index, symbols: pd.Index) -> bool:
    """Refuse prices <= 0 or infinite in a field that has prices other than positive and
    finite (flat: its values in memory order); returns whether some are missing (NaN)."""
    # NaN-ignoring min/max for gaps; the cell-by-cell search only to report an error
    missing = bool(np.isnan(np.minimum.reduce(flat)))
    if missing and np.fmin.reduce(flat) > 0.0 and np.fmax.reduce(flat) < np.inf:
        return True
    if values.flags.f_contiguous and not values.flags.c_contiguous:
        col, bar = first_non_positive_nb(values.T)
    else:
        bar, col = first_non_positive_nb(values)
    if bar < 0:
        return missing  # only gaps (or every price missing): nothing to refuse here
    raise ValidationError(
        f"{symbols[col]}: {name} is {values[bar, col]} at {index[bar]}; prices must be "
        "positive and finite (NaN for a missing bar)",
        field=f"prices.{name}",
    )


def _as_float(values: np.ndarray, field: str) -> F64:
    try:
        return np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValidationError(f"{field} must hold numbers: {exc}", field=field) from exc


def _readonly(frame: pd.DataFrame, field: str) -> F64:
    try:
        values = frame.to_numpy(dtype=np.float64)
    except (TypeError, ValueError):
        # nullable dtypes holding pd.NA; na_value forces a copy, so only on this path
        try:
            values = frame.to_numpy(dtype=np.float64, na_value=np.nan)
        except (TypeError, ValueError) as exc:
            raise ValidationError(f"{field} must hold numbers: {exc}", field=field) from exc
    return _readonly_array(values)


def _readonly_array(values: F64) -> F64:
    # a read-only view costs nothing and guarantees the kernels cannot write to user data
    view = values.view()
    view.flags.writeable = False
    return view
