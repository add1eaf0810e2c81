"""Market data: sources, symbols, bars, uploads, and download jobs that warm the bar cache."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import pandas as pd
from fastapi import APIRouter, File, Form, UploadFile

from shared.data.bars import bar_warnings, fields_of
from shared.data.market import upload_too_large
from shared.jobs.submit import submit_job
from shared.schemas.data import (
    BarOut,
    BarsOut,
    DownloadRequest,
    SourceOut,
    SourcesOut,
    SymbolOut,
    SymbolsPage,
    UploadOut,
)
from shared.schemas.jobs import JobAccepted, JobKind, JobOut
from shared.web.deps import (
    CeleryDep,
    DbDep,
    IdempotencyKey,
    Limit,
    Offset,
    PrincipalDep,
    SettingsDep,
)
from shared.web.market import MarketDataDep

router = APIRouter(prefix="/api/v1/data", tags=["data"])


@router.get("/sources", response_model=SourcesOut)
def list_sources(market: MarketDataDep) -> SourcesOut:
    """Every data source, with its intervals and whether it works offline."""
    items = [SourceOut.model_validate(s) for s in market.sources()]
    return SourcesOut(items=items, total=len(items))


@router.get("/symbols", response_model=SymbolsPage)
def list_symbols(
    market: MarketDataDep, source: str, limit: Limit, offset: Offset = 0
) -> SymbolsPage:
    """The symbols of a source, by name (examples for open sources such as yfinance)."""
    symbols = market.symbols(source)
    items = [SymbolOut.model_validate(s) for s in symbols[offset : offset + limit]]
    return SymbolsPage(items=items, total=len(symbols), limit=limit, offset=offset)


@router.get("/bars", response_model=BarsOut)
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


@router.post("/upload", status_code=201, response_model=UploadOut)
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


@router.post("/downloads", status_code=202, response_model=JobAccepted)
def submit_download(
    req: DownloadRequest, db: DbDep, celery: CeleryDep, market: MarketDataDep,
    principal: PrincipalDep, idempotency_key: IdempotencyKey = None,
) -> JobAccepted:  # fmt: skip
    """Queue a data_download job that warms the bar cache; returns the job at once."""
    market.check_request(req.source, req.symbols, req.start, req.end, req.interval)
    job, _ = submit_job(
        db, celery, kind=JobKind.DATA_DOWNLOAD, params=req.model_dump(mode="json"),
        idempotency_key=idempotency_key, owner=principal.owner,
    )  # fmt: skip
    return JobAccepted(job=JobOut.model_validate(job))


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
