"""Build a FeatureSpec's columns from one symbol's bars: pure, causal, the same in training and
simulation.

Every feature at bar t reads bars 0..t only: indicators run forward in time and every shift looks
back (``_lag``), never ahead. Warm-up rows are NaN, and so is any value that comes out non-finite
(a zero close): NaN is never filled here, callers drop those rows.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pandas as pd

from shared.errors import DataError, ValidationError
from shared.features.indicators import atr, bbands, ema, macd, rsi, sma
from shared.features.rolling import rolling_mean_std_nb
from shared.features.spec import (
    FEATURE_KINDS,
    FIELD,
    FeatureDef,
    FeatureKind,
    FeatureSpec,
    Params,
    default_feature_spec,
    describe_kinds,
)

F64 = npt.NDArray[np.float64]
Fields = dict[str, F64]
Compute = Callable[[Fields, pd.DatetimeIndex, Params], F64]

__all__ = [
    "FEATURE_KINDS",
    "FeatureDef",
    "FeatureKind",
    "FeatureSpec",
    "build_features",
    "default_feature_spec",
    "describe_kinds",
]


def _lag(x: F64, k: int) -> F64:
    """x shifted k bars later in time (the value at t is x[t-k]): a look back, never ahead."""
    out = np.full(x.size, np.nan)
    if k < x.size:
        out[k:] = x[: x.size - k]
    return out


def _one_bar_return(close: F64) -> F64:
    return close / _lag(close, 1) - 1.0


def _returns(f: Fields, _i: pd.DatetimeIndex, p: Params) -> F64:
    return f["close"] / _lag(f["close"], int(p["period"])) - 1.0


def _lagged_return(f: Fields, _i: pd.DatetimeIndex, p: Params) -> F64:
    return _lag(_one_bar_return(f["close"]), int(p["lag"]))


def _sma_distance(f: Fields, _i: pd.DatetimeIndex, p: Params) -> F64:
    return f["close"] / sma(f["close"], int(p["period"])) - 1.0


def _ema_distance(f: Fields, _i: pd.DatetimeIndex, p: Params) -> F64:
    return f["close"] / ema(f["close"], int(p["period"])) - 1.0


def _rsi(f: Fields, _i: pd.DatetimeIndex, p: Params) -> F64:
    return rsi(f["close"], int(p["period"])) / 100.0


def _macd(f: Fields, _i: pd.DatetimeIndex, p: Params) -> F64:
    hist = macd(f["close"], int(p["fast"]), int(p["slow"]), int(p["signal"]))[2]
    return hist / f["close"]


def _bollinger_position(f: Fields, _i: pd.DatetimeIndex, p: Params) -> F64:
    upper, _middle, lower = bbands(f["close"], int(p["period"]), float(p["nbdev"]))
    width = upper - lower
    # A flat window has no band to sit in: call it the middle. NaN (warm-up) stays NaN.
    return np.where(width == 0.0, 0.5, (f["close"] - lower) / width)


def _atr(f: Fields, _i: pd.DatetimeIndex, p: Params) -> F64:
    return atr(f["high"], f["low"], f["close"], int(p["period"])) / f["close"]


def _volatility(f: Fields, _i: pd.DatetimeIndex, p: Params) -> F64:
    log_returns = np.log(f["close"] / _lag(f["close"], 1))  # NaN at bar 0: the first window waits
    return rolling_mean_std_nb(log_returns, int(p["period"]), 1)[1]


def _volume_zscore(f: Fields, _i: pd.DatetimeIndex, p: Params) -> F64:
    volume = f["volume"]
    mean, std = rolling_mean_std_nb(volume, int(p["period"]), 1)
    return np.where(std == 0.0, 0.0, (volume - mean) / std)


def _day_of_week(_f: Fields, index: pd.DatetimeIndex, _p: Params) -> F64:
    return index.dayofweek.to_numpy(dtype=np.float64)


def _month(_f: Fields, index: pd.DatetimeIndex, _p: Params) -> F64:
    return index.month.to_numpy(dtype=np.float64)


COMPUTE: dict[str, Compute] = {
    "returns": _returns,
    "lagged_return": _lagged_return,
    "sma_distance": _sma_distance,
    "ema_distance": _ema_distance,
    "rsi": _rsi,
    "macd": _macd,
    "bollinger_position": _bollinger_position,
    "atr": _atr,
    "volatility": _volatility,
    "volume_zscore": _volume_zscore,
    "day_of_week": _day_of_week,
    "month": _month,
}


def build_features(bars: pd.DataFrame, spec: FeatureSpec) -> pd.DataFrame:
    """The spec's columns (float64) on the bars' index; NaN during warm-up and where undefined."""
    index = _check_index(bars)
    fields = _read_fields(bars, spec)
    columns: dict[str, F64] = {}
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for feature in spec.features:
            values = np.asarray(COMPUTE[feature.kind](fields, index, feature.params), np.float64)
            columns[feature.column] = np.where(np.isfinite(values), values, np.nan)
    return pd.DataFrame(columns, index=bars.index, columns=spec.columns, dtype=np.float64)


def _check_index(bars: pd.DataFrame) -> pd.DatetimeIndex:
    if not isinstance(bars, pd.DataFrame):
        raise ValidationError(
            f"bars must be a pandas DataFrame, got {type(bars).__name__}", field="bars"
        )
    index = bars.index
    if not isinstance(index, pd.DatetimeIndex):
        raise DataError("bars need a DatetimeIndex (one row per bar)", field="bars")
    if not (index.is_monotonic_increasing and index.is_unique):
        raise DataError(
            "bar timestamps must be sorted ascending and unique; sort them and drop repeats",
            field="bars",
        )
    return index


def _read_fields(bars: pd.DataFrame, spec: FeatureSpec) -> Fields:
    """The price fields the spec reads, as float64 arrays; absent or unusable ones raise."""
    for feature in spec.features:
        missing = [name for name in feature.fields if name not in bars.columns]
        if missing:
            raise ValidationError(_missing_message(feature, missing), field=FIELD)
    fields: Fields = {}
    for name in ("close", *spec.fields):  # close always: the dataset's labels read it
        if name not in bars.columns:
            raise DataError("bars have no close column; provide open/high/low/close", field="bars")
        values = bars[name].to_numpy(dtype=np.float64)
        bad = ~np.isfinite(values)
        if bad.any():
            first = bars.index[int(np.argmax(bad))]
            raise DataError(
                f"{int(bad.sum())} bar(s) have NaN or inf in {name} (first at {first}); "
                "drop or fill them before building features",
                field="bars",
            )
        fields[name] = values
    _check_ranges(spec, fields)
    return fields


def _missing_message(feature: FeatureDef, missing: list[str]) -> str:
    if "volume" in missing:
        return (
            f"feature {feature.column} needs a volume column, but these bars have none "
            "(the source has no volume for this symbol); remove the feature or use data with volume"
        )
    return (
        f"feature {feature.column} needs {' and '.join(missing)}, but these bars have no "
        f"{'/'.join(missing)} column; remove the feature or provide full OHLC bars"
    )


def _check_ranges(spec: FeatureSpec, fields: Fields) -> None:
    """A range feature on close-only bars would be a flat, meaningless column: refuse it."""
    if "high" not in fields or "low" not in fields or fields["close"].size == 0:
        return
    close_only = bool(
        np.array_equal(fields["high"], fields["close"])
        and np.array_equal(fields["low"], fields["close"])
    )
    if not close_only:
        return
    for feature in spec.features:
        if {"high", "low"} & set(feature.fields):
            raise ValidationError(
                f"feature {feature.column} needs real high/low ranges, but this symbol is "
                "close-only (high == low == close on every bar); remove the feature for it",
                field=FIELD,
            )
