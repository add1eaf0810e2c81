"""The bars of a run: every symbol on the timestamps they share, loaded once per worker process."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from threading import Lock

import pandas as pd

from shared.data import MarketData
from shared.errors import DataError
from shared.jobs.worker_runtime import WorkerRuntime
from shared.schemas.simulations import MarketSelection
from shared.sim.panels import common_panel

MAX_PANELS = 4  # panels kept per worker process: a sweep's chunks all read the same bars

_PANELS: OrderedDict[str, MarketPanel] = OrderedDict()
_LOCK = Lock()


@dataclass
class MarketPanel:
    """Bars of several symbols on their common timestamps, as shared.sim takes them."""

    prices: dict[str, pd.DataFrame]
    warnings: list[str] = field(default_factory=list)
    bars: dict[str, pd.DataFrame] | None = None
    """Each symbol's own bars before the cut (a model rebuilds its features on them)."""

    @property
    def close(self) -> pd.DataFrame:
        return self.prices["close"]


def load_panel(market: MarketData, sel: MarketSelection) -> MarketPanel:
    """Each symbol's bars, cut to the timestamps all symbols share (reported when bars drop)."""
    frames = {s: market.bars(sel.source, s, sel.start, sel.end, sel.interval) for s in sel.symbols}
    prices, dropped = common_panel(frames)
    shared = len(prices["close"])
    if shared < 2:
        raise DataError(
            f"the symbols {', '.join(sel.symbols)} share {shared} bars in this range; "
            "pick symbols that trade on the same dates or widen the range",
            field="symbols",
        )
    warnings = [
        f"{sym}: {n} bars dropped (not shared by every symbol)" for sym, n in dropped.items() if n
    ]
    return MarketPanel(prices, warnings, frames)


def cached_panel(runtime: WorkerRuntime, sel: MarketSelection) -> MarketPanel:
    """The panel for `sel`, loaded once per worker process while among the few most recent.

    A sweep's chunks and a stress test's scenarios all read the same bars.
    """
    key = MarketSelection.model_validate(sel.model_dump()).model_dump_json()
    with _LOCK:
        if key in _PANELS:
            _PANELS.move_to_end(key)
            return _PANELS[key]
    panel = load_panel(runtime.market, sel)
    with _LOCK:
        _PANELS[key] = panel
        while len(_PANELS) > MAX_PANELS:
            _PANELS.popitem(last=False)
    return panel
