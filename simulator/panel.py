"""The bars of a run: every symbol on the timestamps they share, loaded once per worker process."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from threading import Lock

import pandas as pd

from shared.data import MarketData, market_data_from
from shared.errors import DataError
from shared.jobs.worker_runtime import WorkerRuntime
from shared.schemas.simulations import MarketSelection

FIELDS = ("open", "high", "low", "close")
MAX_PANELS = 4  # panels kept per worker process: a sweep's chunks all read the same bars

_PANELS: OrderedDict[str, MarketPanel] = OrderedDict()
_LOCK = Lock()


@dataclass
class MarketPanel:
    """Bars of several symbols on their common timestamps, as shared.sim takes them."""

    prices: dict[str, pd.DataFrame]
    warnings: list[str] = field(default_factory=list)

    @property
    def close(self) -> pd.DataFrame:
        return self.prices["close"]


@lru_cache(maxsize=8)
def market_of(runtime: WorkerRuntime) -> MarketData:
    """The worker process's MarketData (one Redis pool), built on first use after the fork."""
    return market_data_from(runtime.settings)


def load_panel(market: MarketData, sel: MarketSelection) -> MarketPanel:
    """Each symbol's bars, cut to the timestamps all symbols share (reported when bars drop)."""
    frames = {s: market.bars(sel.source, s, sel.start, sel.end, sel.interval) for s in sel.symbols}
    index = None
    for frame in frames.values():
        index = frame.index if index is None else index.intersection(frame.index)
    assert index is not None
    if len(index) < 2:
        raise DataError(
            f"the symbols {', '.join(sel.symbols)} share {len(index)} bars in this range; "
            "pick symbols that trade on the same dates or widen the range",
            field="symbols",
        )
    warnings = [
        f"{sym}: {len(frame) - len(index)} bars dropped (not shared by every symbol)"
        for sym, frame in frames.items()
        if len(frame) > len(index)
    ]
    fields = [*FIELDS, "volume"] if all("volume" in f for f in frames.values()) else list(FIELDS)
    prices = {
        name: pd.DataFrame({sym: frames[sym][name].reindex(index) for sym in sel.symbols})
        for name in fields
    }
    return MarketPanel(prices, warnings)


def cached_panel(runtime: WorkerRuntime, sel: MarketSelection) -> MarketPanel:
    """The panel for `sel`, loaded once per worker process while among the few most recent.

    A sweep's chunks and a stress test's scenarios all read the same bars.
    """
    key = MarketSelection.model_validate(sel.model_dump()).model_dump_json()
    with _LOCK:
        if key in _PANELS:
            _PANELS.move_to_end(key)
            return _PANELS[key]
    panel = load_panel(market_of(runtime), sel)
    with _LOCK:
        _PANELS[key] = panel
        while len(_PANELS) > MAX_PANELS:
            _PANELS.popitem(last=False)
    return panel
