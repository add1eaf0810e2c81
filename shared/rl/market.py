"""The environment's market: price panels and feature matrices, built once per source panel.

Features come from the shared.features pipeline, computed on each symbol's own full history
(as supervised training builds them), then put on the timestamps every symbol shares. Leading
rows where any feature is still undefined (warm-up) are cut, so every kept bar has a complete
observation; a slice of the market (``between``) keeps the features computed on the whole
history, so a later window's first bars need no warm-up of their own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from shared.errors import DataError, ValidationError
from shared.features import FeatureSpec, build_features
from shared.sim.panels import common_panel

F64 = npt.NDArray[np.float64]
PRICE_FIELDS = ("open", "high", "low", "close", "volume")


@dataclass(frozen=True, eq=False)
class Market:
    """Bars x symbols prices and bars x symbols x features inputs, on one shared index.

    ``prices`` is (5, bars, symbols): open, high, low, close, volume (NaN when unknown);
    ``features`` is (bars, symbols, features), raw (not normalised), finite everywhere.
    """

    index: pd.DatetimeIndex
    symbols: tuple[str, ...]
    prices: F64
    features: F64
    columns: tuple[str, ...]
    has_volume: bool

    def __len__(self) -> int:
        return len(self.index)

    def between(self, start: object = None, end: object = None) -> Market:
        """The bars from `start` to `end` (inclusive labels, like DataFrame.loc), same features."""
        lo, hi = self.index.slice_indexer(start, end).indices(len(self.index))[:2]
        if hi - lo < 2:
            raise ValidationError(
                f"the window {start} .. {end} holds {max(hi - lo, 0)} usable bar(s); "
                "an environment needs at least 2",
                field="window",
            )
        return Market(
            index=self.index[lo:hi],
            symbols=self.symbols,
            prices=np.ascontiguousarray(self.prices[:, lo:hi]),
            features=np.ascontiguousarray(self.features[lo:hi]),
            columns=self.columns,
            has_volume=self.has_volume,
        )

    def price_frames(self) -> dict[str, pd.DataFrame]:
        """The panels shared.sim.simulate() takes, over exactly these bars."""
        names = PRICE_FIELDS if self.has_volume else PRICE_FIELDS[:4]
        return {
            name: pd.DataFrame(self.prices[k], index=self.index, columns=list(self.symbols))
            for k, name in enumerate(names)
        }


def build_market(bars_by_symbol: Mapping[str, pd.DataFrame], spec: FeatureSpec) -> Market:
    """Compute `spec`'s features once for every symbol and align them with the prices."""
    if not isinstance(bars_by_symbol, Mapping) or not bars_by_symbol:
        raise ValidationError("give bars for at least one symbol", field="symbols")
    if not isinstance(spec, FeatureSpec):
        raise ValidationError(
            f"features must be a FeatureSpec, got {type(spec).__name__}", field="features"
        )
    frames = {str(sym): bars for sym, bars in bars_by_symbol.items()}
    panels, _ = common_panel(frames)
    index = panels["close"].index
    if not isinstance(index, pd.DatetimeIndex):
        raise DataError("bars need a DatetimeIndex (one row per bar)", field="bars")
    feats = np.stack(
        [
            build_features(bars, spec).reindex(index).to_numpy(np.float64)
            for bars in frames.values()
        ],
        axis=1,
    )  # (bars, symbols, features)
    first = _first_complete_row(feats)
    if len(index) - first < 2:
        raise ValidationError(
            f"only {max(len(index) - first, 0)} bar(s) have every feature defined on the shared "
            f"timestamps ({spec.warmup} warm-up bars); widen the date range",
            field="features",
        )
    has_volume = "volume" in panels
    prices = np.full((5, len(index) - first, len(frames)), np.nan)
    for k, name in enumerate(PRICE_FIELDS):
        if name in panels:
            prices[k] = panels[name].to_numpy(np.float64)[first:]
    _check_prices(prices, index[first:], tuple(frames))
    return Market(
        index=index[first:],
        symbols=tuple(frames),
        prices=prices,
        features=np.ascontiguousarray(feats[first:]),
        columns=tuple(spec.columns),
        has_volume=has_volume,
    )


def _first_complete_row(feats: F64) -> int:
    """The first row from which every feature of every symbol is finite to the end."""
    bad = ~np.isfinite(feats).all(axis=(1, 2))
    return int(np.flatnonzero(bad)[-1]) + 1 if bad.any() else 0


def _check_prices(prices: F64, index: pd.DatetimeIndex, symbols: tuple[str, ...]) -> None:
    """The engine would reject orders on missing prices; the environment refuses them upfront."""
    for k, name in enumerate(PRICE_FIELDS[:4]):
        bad = ~(np.isfinite(prices[k]) & (prices[k] > 0.0))
        if bad.any():
            bar, col = np.argwhere(bad)[0]
            raise DataError(
                f"{symbols[col]}: {name} is {prices[k, bar, col]} at {index[bar]}; the "
                "environment needs positive prices on every shared bar",
                field="bars",
            )
    volume = prices[4]
    if (volume < 0.0).any():
        raise DataError("volume has negative values", field="bars")
