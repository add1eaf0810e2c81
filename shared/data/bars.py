"""The canonical bars frame: how it looks, how it is built, and how it is validated.

A bars frame has a tz-aware UTC ``DatetimeIndex`` named ``timestamp`` (sorted ascending, unique)
and float64 columns ``open, high, low, close`` plus ``volume`` only when the source knows volume.
Daily (and coarser) bars are stamped at 00:00 UTC of their session date.
Bad bars are never repaired or re-sorted here: they are reported as a ``DataError``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

import numpy as np
import numpy.typing as npt
import pandas as pd

from shared.errors import DataError, ValidationError

PRICE_COLUMNS: tuple[str, ...] = ("open", "high", "low", "close")
BAR_COLUMNS: tuple[str, ...] = (*PRICE_COLUMNS, "volume")
INDEX_NAME = "timestamp"
INDEX_UNIT = "us"  # pandas 3's default resolution; keeps frames built anywhere comparable

_FIX = "re-download or drop them"


def make_bars(
    index: pd.DatetimeIndex | Sequence[datetime],
    open_: npt.ArrayLike,
    high: npt.ArrayLike,
    low: npt.ArrayLike,
    close: npt.ArrayLike,
    volume: npt.ArrayLike | None = None,
) -> pd.DataFrame:
    """Build a canonical bars frame (no validation; call ``validate_bars`` on untrusted data)."""
    idx = pd.DatetimeIndex(index, freq=None)  # no freq: a slice or a cache round trip drops it
    idx = idx.tz_localize("UTC") if idx.tz is None else idx.tz_convert("UTC")
    idx = idx.as_unit(INDEX_UNIT).rename(INDEX_NAME)
    columns: dict[str, npt.NDArray[np.float64]] = {
        "open": np.asarray(open_, dtype=np.float64),
        "high": np.asarray(high, dtype=np.float64),
        "low": np.asarray(low, dtype=np.float64),
        "close": np.asarray(close, dtype=np.float64),
    }
    if volume is not None:
        columns["volume"] = np.asarray(volume, dtype=np.float64)
    return pd.DataFrame(columns, index=idx)


def close_only_bars(index: pd.DatetimeIndex, close: npt.ArrayLike) -> pd.DataFrame:
    """Bars for a close-only series: open = high = low = close, and no volume column."""
    values = np.asarray(close, dtype=np.float64)
    return make_bars(index, values, values, values, values)


def fields_of(df: pd.DataFrame, *, close_only: bool = False) -> list[str]:
    """The columns that carry real information (``["close"]`` for close-only data)."""
    if close_only:
        return ["close"]
    return [c for c in BAR_COLUMNS if c in df.columns]


def format_ts(ts: pd.Timestamp) -> str:
    """A timestamp as users read it: the date for midnight bars, ISO 8601 otherwise."""
    if ts.hour == ts.minute == ts.second == ts.microsecond == 0:
        return ts.date().isoformat()
    return ts.isoformat()


def validate_bars(df: pd.DataFrame, symbol: str) -> None:
    """Raise ``DataError`` naming the symbol, the bad-bar count, the first bad bar and the fix."""
    _check_shape(df, symbol)
    if len(df) == 0:
        raise DataError(f"{symbol}: no bars; check the symbol and the date range")
    _check_order(df.index, symbol)
    problems = _value_problems(df)
    if problems:
        raise DataError(f"{symbol}: {'; '.join(problems)}; {_FIX}")


def _check_shape(df: pd.DataFrame, symbol: str) -> None:
    if not isinstance(df.index, pd.DatetimeIndex) or str(df.index.tz) != "UTC":
        raise DataError(f"{symbol}: bars need a UTC DatetimeIndex; build them with make_bars()")
    missing = [c for c in PRICE_COLUMNS if c not in df.columns]
    if missing:
        raise DataError(
            f"{symbol}: missing columns {', '.join(missing)}; provide open/high/low/close"
        )
    extra = [c for c in df.columns if c not in BAR_COLUMNS]
    if extra:
        raise DataError(f"{symbol}: unexpected columns {', '.join(map(str, extra))}; drop them")
    not_float = [c for c in df.columns if df[c].dtype != np.float64]
    if not_float:
        raise DataError(f"{symbol}: columns {', '.join(not_float)} are not float64; convert them")


def _check_order(index: pd.DatetimeIndex, symbol: str) -> None:
    ts = index.asi8
    back = np.flatnonzero(ts[1:] < ts[:-1])
    if back.size:
        i = int(back[0]) + 1
        raise DataError(
            f"{symbol}: timestamps are not sorted ascending ({back.size} step(s) back in time, "
            f"first at {format_ts(index[i])} after {format_ts(index[i - 1])}); "
            "sort the bars by timestamp"
        )
    dup = np.flatnonzero(ts[1:] == ts[:-1])
    if dup.size:
        raise DataError(
            f"{symbol}: {_bars(dup.size)} {'repeats' if dup.size == 1 else 'repeat'} the previous "
            "timestamp "
            f"(first at {format_ts(index[int(dup[0]) + 1])}); keep one bar per timestamp"
        )


def _value_problems(df: pd.DataFrame) -> list[str]:
    o, h, lo, c = (df[k].to_numpy() for k in PRICE_COLUMNS)
    cols = [df[k].to_numpy() for k in df.columns]
    not_finite = ~np.isfinite(np.column_stack(cols)).all(axis=1)
    if not_finite.any():  # later comparisons are meaningless on NaN/inf, so stop here
        bad_cols = [k for k, v in zip(df.columns, cols, strict=True) if (~np.isfinite(v)).any()]
        return [_describe(df.index, not_finite, f"NaN or inf in {', '.join(bad_cols)}")]
    rules: list[tuple[npt.NDArray[np.bool_], str]] = [
        (np.asarray((np.column_stack([o, h, lo, c]) <= 0).any(axis=1)), "a price <= 0"),
        (h < c, "high < close"),
        (h < o, "high < open"),
        (lo > c, "low > close"),
        (lo > o, "low > open"),
    ]
    if "volume" in df.columns:
        rules.append((df["volume"].to_numpy() < 0, "volume < 0"))
    return [_describe(df.index, mask, what) for mask, what in rules if mask.any()]


def _describe(index: pd.DatetimeIndex, mask: npt.NDArray[np.bool_], what: str) -> str:
    first = index[int(np.argmax(mask))]
    n = int(mask.sum())
    return f"{_bars(n)} {'has' if n == 1 else 'have'} {what} (first at {format_ts(first)})"


def _bars(n: int) -> str:
    return f"{n} bar" if n == 1 else f"{n} bars"


def bar_warnings(df: pd.DataFrame, symbol: str) -> list[str]:
    """Facts about valid bars that users should know (e.g. zero-volume bars); never an error."""
    notes: list[str] = []
    if "volume" in df.columns:
        zero = df["volume"].to_numpy() == 0
        if zero.any():
            notes.append(
                f"{symbol}: {_describe(df.index, zero, 'zero volume')}; "
                "volume-based features are 0 there"
            )
    return notes


def filter_range(
    df: pd.DataFrame, symbol: str, start: date | None, end: date | None
) -> pd.DataFrame:
    """Bars whose UTC date is in [start, end] (inclusive); none → ValidationError with the range."""
    lo = pd.Timestamp(start, tz="UTC") if start else None
    hi = pd.Timestamp(end + timedelta(days=1), tz="UTC") if end else None
    mask = np.ones(len(df), dtype=bool)
    if lo is not None:
        mask &= df.index >= lo
    if hi is not None:
        mask &= df.index < hi
    out = df.loc[mask]
    if len(out) == 0:
        if len(df) == 0:
            raise ValidationError(f"{symbol}: no bars available", field="symbols")
        first, last = df.index[0].date(), df.index[-1].date()
        field = "start" if start and start > last else "end"
        raise ValidationError(
            f"{symbol}: no bars between {start or 'the beginning'} and {end or 'today'}; "
            f"available from {first} to {last}",
            field=field,
        )
    return out
