"""Wire schemas of market data: sources, symbols, bars, uploads and download requests."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from shared.schemas.base import RequestModel
from shared.schemas.pages import Listing, Page


class SourceOut(BaseModel):
    """A data source."""

    model_config = ConfigDict(from_attributes=True)

    name: str
    description: str
    intervals: list[str]
    offline: bool = Field(description="True when the source works without the internet")
    close_only_note: str | None = Field(
        None, description="Which symbols carry closes only (open = high = low = close, no volume)"
    )


class SourcesOut(Listing[SourceOut]):
    """Every data source."""


class SymbolOut(BaseModel):
    """A symbol of a source; first/last/rows are null where unknown until fetched."""

    model_config = ConfigDict(from_attributes=True)

    symbol: str
    name: str
    source: str
    fields: list[str] = Field(description="The bar fields that carry real data")
    first: date | None = None
    last: date | None = None
    close_only: bool = False
    rows: int | None = None


class SymbolsPage(Page[SymbolOut]):
    """Symbols of a source, by name."""


class BarOut(BaseModel):
    """One bar; ``volume`` is null when the source has no volume."""

    timestamp: datetime
    open: float
    high: float
    low: float
    close: float
    volume: float | None = None


class BarsOut(BaseModel):
    """Bars of one symbol, oldest first."""

    source: str
    symbol: str
    interval: str
    fields: list[str] = Field(description="The bar fields that carry real data")
    close_only: bool = Field(description="True when open/high/low only repeat the close")
    items: list[BarOut]
    total: int
    warnings: list[str] = Field(
        default_factory=list, description="Facts about valid bars worth knowing (zero volume)"
    )


class UploadOut(BaseModel):
    """The stored upload, now available as source=files."""

    symbol: str
    source: str = "files"
    rows: int
    first: date
    last: date
    fields: list[str]


class DownloadRequest(RequestModel):
    """Warm the bar cache for symbols of a source (a data_download job)."""

    model_config = ConfigDict(extra="forbid")

    source: str = Field(examples=["builtin"])
    symbols: list[str] = Field(min_length=1, max_length=100, examples=[["SP500", "AAPL"]])
    start: date | None = None
    end: date | None = None
    interval: str = "1d"

    @field_validator("end")
    @classmethod
    def _ordered(cls, end: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("start")
        if start is not None and end is not None and end < start:
            raise ValueError(f"end {end} is before start {start}; use end >= start")
        return end
