"""Per-symbol bar frames as the engine's panels: one frame per price field, on shared timestamps."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

PRICE_FIELDS = ("open", "high", "low", "close")


def common_panel(
    frames: Mapping[str, pd.DataFrame],
) -> tuple[dict[str, pd.DataFrame], dict[str, int]]:
    """Each price field as a (timestamp x symbol) frame on the timestamps every symbol has, and
    how many bars each symbol lost to that cut. Volume is kept when every symbol has it."""
    index: pd.Index | None = None
    for frame in frames.values():
        index = frame.index if index is None else index.intersection(frame.index)
    if index is None:
        raise ValueError("no symbols")
    fields = (
        [*PRICE_FIELDS, "volume"] if all("volume" in f for f in frames.values()) else PRICE_FIELDS
    )
    prices = {
        name: pd.DataFrame({sym: frame[name].reindex(index) for sym, frame in frames.items()})
        for name in fields
    }
    dropped = {sym: len(frame) - len(index) for sym, frame in frames.items()}
    return prices, dropped
