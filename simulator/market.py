"""Market data for the simulator's jobs: the facade built from settings, and a panel cache."""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

import redis

from shared.config import Settings
from shared.data.market import MarketData
from shared.schemas.simulations import MarketSelection
from simulator.runner import MarketPanel, load_panel

_PANELS: OrderedDict[str, MarketPanel] = OrderedDict()
_LOCK = Lock()
MAX_PANELS = 4


def market_data(settings: Settings) -> MarketData:
    """The market-data facade configured from settings."""
    return MarketData(
        settings.data_path,
        redis.Redis.from_url(settings.redis_url),
        cache_ttl_s=settings.bars_cache_ttl_s,
        yfinance_max_retries=settings.yfinance_max_retries,
    )


def cached_panel(settings: Settings, sel: MarketSelection) -> MarketPanel:
    """The panel for `sel`, loaded once per worker process while among the few most recent.

    A sweep's chunks and a stress test's scenarios all read the same bars.
    """
    key = MarketSelection.model_validate(sel.model_dump()).model_dump_json()
    with _LOCK:
        if key in _PANELS:
            _PANELS.move_to_end(key)
            return _PANELS[key]
    panel = load_panel(market_data(settings), sel)
    with _LOCK:
        _PANELS[key] = panel
        while len(_PANELS) > MAX_PANELS:
            _PANELS.popitem(last=False)
    return panel
