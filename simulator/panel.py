"""The bars of a run: every symbol on the timestamps they share, loaded once per worker process."""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, timedelta
from threading import Lock

import pandas as pd

from shared.data import MarketData
from shared.errors import DataError
from shared.jobs.worker_runtime import WorkerRuntime
from shared.schemas.simulations import MarketSelection
from shared.sim.panels import common_panel

MAX_PANELS = 4  # panels kept per worker process: a sweep's chunks all read the same bars
# Calendar days per bar, generously (weekends, holidays), for loading history before a start.
DAYS_PER_BAR = {"1mo": 31.0, "1wk": 7.0, "1d": 1.6}

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


def load_panel(market: MarketData, sel: MarketSelection, history: int = 0) -> MarketPanel:
    """Each symbol's bars, cut to the timestamps all symbols share (reported when bars drop).

    `history`: bars before `sel.start` to load as well, into `bars` only (a model's features
    warm up on them: at bar t they read bars up to t, which were known then); the run itself
    starts at `sel.start`.
    """
    first = history_start(sel, history)
    frames = {s: market.bars(sel.source, s, first, sel.end, sel.interval) for s in sel.symbols}
    start = pd.Timestamp(sel.start, tz="UTC") if sel.start is not None else None
    in_range = {s: f.loc[start:] for s, f in frames.items()} if first != sel.start else frames
    prices, dropped = common_panel(in_range)
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


def history_start(sel: MarketSelection, history: int) -> date | None:
    """A start date early enough for `history` bars before `sel.start` (where data has them)."""
    if not history or sel.start is None:
        return sel.start
    days = history * DAYS_PER_BAR.get(sel.interval, 1.0) + 7
    return sel.start - timedelta(days=math.ceil(days))


def cached_panel(runtime: WorkerRuntime, sel: MarketSelection, history: int = 0) -> MarketPanel:
    """The panel for `sel`, loaded once per worker process while among the few most recent.

    A sweep's chunks and a stress test's scenarios all read the same bars.
    """
    key = MarketSelection.model_validate(sel.model_dump()).model_dump_json() + f"+{history}"
    with _LOCK:
        if key in _PANELS:
            _PANELS.move_to_end(key)
            return _PANELS[key]
    panel = load_panel(runtime.market, sel, history)
    with _LOCK:
        _PANELS[key] = panel
        while len(_PANELS) > MAX_PANELS:
            _PANELS.popitem(last=False)
    return panel
