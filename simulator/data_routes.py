"""HTTP routes of market data: sources, symbols, bars and uploads (thin edges over MarketData)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Annotated

import pandas as pd
import redis
from fastapi import APIRouter, Depends, File, Form, Query, UploadFile
from redis.backoff import NoBackoff
from redis.retry import Retry

from shared.config import Settings, get_settings
from shared.data import MarketData
from shared.data.bars import bar_warnings, fields_of
from shared.data.market import upload_too_large
from shared.schemas.data import (
    BarOut,
    BarsOut,
    SourceOut,
    SourcesOut,
    SymbolOut,
    SymbolsPage,
    UploadOut,
)

router = APIRouter(prefix="/api/v1/data", tags=["data"])


@lru_cache(maxsize=1)
def get_market_data() -> MarketData:
    """The process's MarketData, built once from settings (clear with ``cache_clear()``)."""
    settings = get_settings()
    # one quick try: the bar cache falls back to disk, so waiting on a down Redis buys nothing
    cache = redis.Redis.from_url(
        settings.redis_url,
        socket_connect_timeout=1,
        socket_timeout=2,
        retry=Retry(NoBackoff(), 0),
    )
    return MarketData(
        settings.data_path,
        cache,
        cache_ttl_s=settings.bars_cache_ttl_s,
        yfinance_max_retries=settings.yfinance_max_retries,
        max_upload_bytes=settings.max_upload_bytes,
    )


MarketDataDep = Annotated[MarketData, Depends(get_market_data)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


@router.get("/sources")
def list_sources(market: MarketDataDep) -> SourcesOut:
    """Every data source, with its intervals and whether it works offline."""
    items = [SourceOut.model_validate(s) for s in market.sources()]
    return SourcesOut(items=items, total=len(items))


@router.get("/symbols")
def list_symbols(
    market: MarketDataDep,
    settings: SettingsDep,
    source: str,
    limit: Annotated[int, Query(ge=1)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> SymbolsPage:
    """The symbols of a source, by name (examples for open sources such as yfinance)."""
    symbols = market.symbols(source)
    limit = min(limit, settings.max_page_size)
    items = [SymbolOut.model_validate(s) for s in symbols[offset : offset + limit]]
    return SymbolsPage(items=items, total=len(symbols), limit=limit, offset=offset)


@router.get("/bars")
def get_bars(
    market: MarketDataDep,
    source: str,
    symbol: str,
    start: date | None = None,
    end: date | None = None,
    interval: str = "1d",
) -> BarsOut:
    """Validated bars of one symbol between two inclusive dates, oldest first."""
    frame = market.bars(source, symbol, start, end, interval)
    info = market.symbol_info(source, symbol)
    return BarsOut(
        source=source,
        symbol=info.symbol,
        interval=interval,
        fields=fields_of(frame, close_only=info.close_only),
        close_only=info.close_only,
        items=_bar_items(frame),
        total=len(frame),
        warnings=bar_warnings(frame, info.symbol),
    )


@router.post("/upload", status_code=201)
def upload_bars(
    market: MarketDataDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="CSV or Parquet: date, open, high, low, close")],
    symbol: Annotated[str | None, Form(description="Defaults to the file name's stem")] = None,
) -> UploadOut:
    """Validate a CSV/Parquet file of daily bars and store it as source=files."""
    limit = settings.max_upload_bytes
    name = file.filename or "upload"
    content = file.file.read(limit + 1)  # never more than the limit in memory
    if len(content) > limit:
        raise upload_too_large(name, file.size or len(content), limit)
    info = market.save_upload(name, content, symbol)
    return UploadOut.model_validate(info, from_attributes=True)


def _bar_items(frame: pd.DataFrame) -> list[BarOut]:
    volume = frame["volume"].tolist() if "volume" in frame.columns else [None] * len(frame)
    columns = zip(
        frame.index.to_pydatetime(),
        frame["open"].tolist(),
        frame["high"].tolist(),
        frame["low"].tolist(),
        frame["close"].tolist(),
        volume,
        strict=True,
    )
    return [
        BarOut(timestamp=ts, open=o, high=h, low=lo, close=c, volume=v)
        for ts, o, h, lo, c, v in columns
    ]
