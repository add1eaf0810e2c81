"""Features and labels of many symbols stacked into one table, rows keyed by (timestamp, symbol).

Each symbol's features are built on its own bars (its own warm-up, its own calendar), then the
symbols are stacked and sorted by time, so a time-ordered split of the rows never trains on a
later bar than it tests. Rows with a missing feature or label are dropped, never filled.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd

from shared.errors import ValidationError
from shared.features.pipeline import build_features
from shared.features.spec import FeatureSpec
from shared.features.targets import TargetSpec, forward_return, make_target

INDEX_NAMES = ("timestamp", "symbol")


@dataclass(frozen=True)
class Dataset:
    """Model inputs and labels; every member shares X's (timestamp, symbol) index."""

    X: pd.DataFrame  # columns: the spec's columns, float64
    y: pd.Series  # 0.0/1.0 for direction targets, the forward return for return targets
    label_end: pd.Series  # timestamp of the last bar each label reads (t + horizon, same symbol)
    forward_return: pd.Series  # the raw forward return, for directional accuracy and backtests


def build_dataset(
    bars_by_symbol: Mapping[str, pd.DataFrame], spec: FeatureSpec, target: TargetSpec
) -> Dataset:
    """Every symbol's complete (features, label) rows, stacked and sorted by (timestamp, symbol)."""
    need = spec.warmup + target.horizon + 2
    parts: list[pd.DataFrame] = []
    for symbol, bars in _symbols(bars_by_symbol):
        if len(bars) < need:
            raise ValidationError(
                f"{symbol} has {len(bars)} bars; these features and target need at least {need} "
                f"({spec.warmup} warm-up + {target.horizon} horizon + 2); widen the date range",
                field="symbols",
            )
        with _naming(symbol):
            parts.append(_labelled(bars, spec, target))
    table = _stack(parts, bars_by_symbol)
    table = table[table.notna().all(axis=1)]
    if table.empty:
        raise ValidationError(
            "no rows have both features and a label; lower the dead_zone or widen the date range",
            field="target",
        )
    return Dataset(
        X=table[spec.columns],
        y=table["__y"].rename("target"),
        label_end=table["__label_end"].rename("label_end"),
        forward_return=table["__fwd"].rename("forward_return"),
    )


def feature_rows(bars_by_symbol: Mapping[str, pd.DataFrame], spec: FeatureSpec) -> pd.DataFrame:
    """Features of every bar with no NaN (for inference), stacked like ``build_dataset``'s X.

    A symbol with too few bars to finish its warm-up simply contributes no rows.
    """
    parts = []
    for symbol, bars in _symbols(bars_by_symbol):
        with _naming(symbol):
            parts.append(build_features(bars, spec))
    table = _stack(parts, bars_by_symbol)
    return table[table.notna().all(axis=1)]


def _symbols(bars_by_symbol: Mapping[str, pd.DataFrame]) -> list[tuple[str, pd.DataFrame]]:
    if not isinstance(bars_by_symbol, Mapping) or not bars_by_symbol:
        raise ValidationError("give bars for at least one symbol", field="symbols")
    bad = [s for s in bars_by_symbol if not isinstance(s, str) or not s]
    if bad:
        raise ValidationError(f"symbols must be non-empty strings, got {bad[0]!r}", field="symbols")
    return list(bars_by_symbol.items())


def _labelled(bars: pd.DataFrame, spec: FeatureSpec, target: TargetSpec) -> pd.DataFrame:
    table = build_features(bars, spec)
    close = bars["close"].astype(np.float64)
    table["__y"] = make_target(close, target).to_numpy()
    table["__fwd"] = forward_return(close, target.horizon).to_numpy()
    # The label's last bar, by position in THIS symbol's bars (its own gaps and holidays).
    table["__label_end"] = pd.Series(bars.index, index=bars.index).shift(-target.horizon)
    return table


@contextmanager
def _naming(symbol: str) -> Iterator[None]:
    """Errors raised inside name the symbol they are about."""
    try:
        yield
    except ValidationError as exc:  # DataError too: same class, same field, the symbol in front
        raise type(exc)(f"{symbol}: {exc.detail}", field=exc.field, code=exc.code) from exc


def _stack(parts: list[pd.DataFrame], bars_by_symbol: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    zones = sorted({str(bars.index.tz) for bars in bars_by_symbol.values()})
    if len(zones) > 1:  # comparing instants across zones would mix up "the same time"
        raise ValidationError(
            f"the symbols' timestamps are in different time zones ({', '.join(zones)}); "
            "convert them all to UTC",
            field="symbols",
        )
    keyed = [
        part.set_axis(
            pd.MultiIndex.from_arrays([part.index, [symbol] * len(part)], names=INDEX_NAMES)
        )
        for symbol, part in zip(bars_by_symbol, parts, strict=True)
    ]
    return pd.concat(keyed).sort_index()
