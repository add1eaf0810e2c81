"""Coarser bars from daily bars: weekly and monthly OHLCV."""

from __future__ import annotations

import pandas as pd

from shared.errors import ValidationError

# Bars are labelled by the start of their period (the Monday, the 1st), as Yahoo labels them.
# A period's bar is only complete at the period's end: decide on it at its close, not before.
_RULES: dict[str, dict[str, str]] = {
    "1wk": {"rule": "W-MON", "label": "left", "closed": "left"},
    "1mo": {"rule": "MS", "label": "left", "closed": "left"},
}
DERIVED_INTERVALS: tuple[str, ...] = tuple(_RULES)


def resample_bars(daily: pd.DataFrame, interval: str) -> pd.DataFrame:
    """Weekly/monthly bars: first open, max high, min low, last close, summed volume.

    Periods without any daily bar are left out; the first and last period cover only the days
    present in ``daily`` (so a range starting mid-week gives a partial first week).
    """
    if interval not in _RULES:
        raise ValidationError(
            f"cannot resample to {interval!r}; choose one of {', '.join(DERIVED_INTERVALS)}",
            field="interval",
        )
    spec = _RULES[interval]
    agg = {"open": "first", "high": "max", "low": "min", "close": "last"}
    if "volume" in daily.columns:
        agg["volume"] = "sum"
    grouped = daily.resample(spec["rule"], label=spec["label"], closed=spec["closed"])
    out = grouped.agg(agg)
    counts = grouped["close"].count()
    out = out.loc[counts.to_numpy() > 0]
    out.index.name = daily.index.name
    out.index.freq = None  # periods without bars are gone, so no regular frequency holds
    return out[list(daily.columns)].astype("float64")
