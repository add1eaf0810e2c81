"""Market data: providers behind one interface, bar validation, and the bar cache.

Use the facade: ``MarketData(data_dir, redis).bars("builtin", "SP500", start, end)``.
"""

from shared.data.bars import BAR_COLUMNS, PRICE_COLUMNS, make_bars, validate_bars
from shared.data.market import MarketData, market_data_from
from shared.data.providers.base import SourceInfo, SymbolInfo

__all__ = [
    "BAR_COLUMNS",
    "PRICE_COLUMNS",
    "MarketData",
    "SourceInfo",
    "SymbolInfo",
    "make_bars",
    "market_data_from",
    "validate_bars",
]
