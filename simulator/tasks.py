"""Job functions run by the simulation worker; thin: parse params, call the library."""

from __future__ import annotations

from typing import Any

import redis

from shared.config import Settings
from shared.data.market import MarketData
from shared.jobs.kinds import JobKind
from shared.jobs.runner import JobContext, JobFunction
from shared.schemas.data import DownloadRequest


def market_data(settings: Settings) -> MarketData:
    """The market-data facade configured from settings."""
    return MarketData(
        settings.data_path,
        redis.Redis.from_url(settings.redis_url),
        cache_ttl_s=settings.bars_cache_ttl_s,
        yfinance_max_retries=settings.yfinance_max_retries,
    )


def data_download(ctx: JobContext) -> dict[str, Any]:
    """Fetch bars for each symbol into the cache, reporting progress per symbol."""
    req = DownloadRequest.model_validate(ctx.params)
    return market_data(ctx.settings).download(
        req.source, req.symbols, req.start, req.end, req.interval, progress=ctx.progress
    )


JOBS: dict[str, JobFunction] = {JobKind.DATA_DOWNLOAD: data_download}
