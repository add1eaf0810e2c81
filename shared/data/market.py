"""MarketData: the one entry point to bars from every source, validated and cached."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import redis as redis_lib
from redis.backoff import NoBackoff
from redis.retry import Retry

from shared.config import Settings
from shared.data.bars import filter_range, validate_bars
from shared.data.cache import BarCache
from shared.data.providers.base import Provider, SourceInfo, SymbolInfo
from shared.data.providers.builtin import BuiltinProvider
from shared.data.providers.files import FilesProvider
from shared.data.providers.synthetic import SyntheticProvider
from shared.data.providers.yfinance_source import Download, YFinanceProvider
from shared.data.resample import resample_bars
from shared.data.symbols import normalize_symbol
from shared.data.upload_limits import UploadLimits
from shared.errors import DataError, PayloadTooLarge, ValidationError

log = logging.getLogger(__name__)

Progress = Callable[[float, str], None]


class MarketData:
    """Sources, symbols and validated bars; bars of remote sources are cached (disk + Redis)."""

    def __init__(
        self,
        data_dir: Path,
        redis: redis_lib.Redis | None = None,
        *,
        cache_ttl_s: int = 86400,
        yfinance_max_retries: int = 3,
        yfinance_download: Download | None = None,
        yfinance_backoff_s: float = 1.0,
        yfinance_timeout_s: float = 5.0,
        max_upload_bytes: int | None = None,
        upload_limits: UploadLimits | None = None,
        cache_key_prefix: str = "bars:",
    ) -> None:
        self._files = FilesProvider(Path(data_dir), upload_limits or UploadLimits())
        providers: list[Provider] = [
            BuiltinProvider(),
            self._files,
            SyntheticProvider(),
            YFinanceProvider(
                yfinance_download,
                max_retries=yfinance_max_retries,
                backoff_base_s=yfinance_backoff_s,
                timeout_s=yfinance_timeout_s,
            ),
        ]
        self._providers = {p.name: p for p in providers}
        self._cache = BarCache(
            Path(data_dir), redis, ttl_s=cache_ttl_s, key_prefix=cache_key_prefix
        )
        self._max_upload_bytes = max_upload_bytes

    def sources(self) -> list[SourceInfo]:
        """Every source, sorted by name."""
        return [p.info() for p in self._providers.values()]

    def symbols(self, source: str) -> list[SymbolInfo]:
        """The source's symbols (examples for open sources, plus any already cached)."""
        provider = self._provider(source)
        listed = provider.symbols()
        if not provider.fixed_universe and provider.cacheable:
            known = {s.symbol for s in listed}
            listed += [
                provider.symbol_info(s) for s in self._cache.symbols(source) if s not in known
            ]
        return listed

    def symbol_info(self, source: str, symbol: str) -> SymbolInfo:
        """Describe one symbol (fields, close_only, dates where known)."""
        return self._provider(source).symbol_info(normalize_symbol(symbol))

    def is_offline(self, source: str) -> bool:
        """Whether `source` reads local data (cheap to load while answering a request)."""
        return self._provider(source).offline

    def check_request(
        self, source: str, symbols: list[str], start: date | None, end: date | None, interval: str
    ) -> None:
        """Raise ValidationError naming the field at fault, before any work is queued."""
        self._checked(source, symbols, start, end, interval)

    def bars(
        self,
        source: str,
        symbol: str,
        start: date | None,
        end: date | None,
        interval: str = "1d",
        *,
        use_cache: bool = True,
    ) -> pd.DataFrame:
        """Validated canonical bars of [start, end] (inclusive UTC dates; None = unbounded)."""
        provider, (sym,) = self._checked(source, [symbol], start, end, interval)
        return self._load(provider, sym, start, end, interval, use_cache)[0]

    def save_upload(self, filename: str, content: bytes, symbol: str | None = None) -> SymbolInfo:
        """Validate an uploaded CSV/Parquet in full, then store it under the files source."""
        limit = self._max_upload_bytes
        if limit is not None and len(content) > limit:
            raise upload_too_large(filename, len(content), limit)
        return self._files.save_upload(filename, content, symbol)

    def download(
        self,
        source: str,
        symbols: list[str],
        start: date | None,
        end: date | None,
        interval: str,
        progress: Progress | None = None,
    ) -> dict[str, Any]:
        """Warm the cache for each symbol; ``progress(fraction, message)`` after each one.

        ``cached`` is True when no fetch was needed (already cached, or a local file).
        Exceptions raised by ``progress`` (e.g. a cancellation) propagate.
        """
        provider, syms = self._checked(source, symbols, start, end, interval)
        report: dict[str, dict[str, Any]] = {}
        for i, sym in enumerate(syms, start=1):
            frame, cached = self._load(provider, sym, start, end, interval, use_cache=True)
            cached = cached or not provider.cacheable
            report[sym] = {
                "rows": len(frame),
                "first": frame.index[0].isoformat(),
                "last": frame.index[-1].isoformat(),
                "cached": cached,
            }
            if progress is not None:
                how = "from cache" if cached else "fetched"
                progress(i / len(syms), f"{sym}: {len(frame)} bars {how} ({i}/{len(syms)})")
        return {"symbols": report}

    def _provider(self, source: str) -> Provider:
        provider = self._providers.get(source)
        if provider is None:
            raise ValidationError(
                f"unknown source {source!r}; choose one of: {', '.join(self._providers)}",
                field="source",
            )
        return provider

    def _checked(
        self, source: str, symbols: list[str], start: date | None, end: date | None, interval: str
    ) -> tuple[Provider, list[str]]:
        provider = self._provider(source)
        if interval not in provider.intervals:
            raise ValidationError(
                f"interval {interval!r} is not offered by source {source}; "
                f"choose one of: {', '.join(provider.intervals)}",
                field="interval",
            )
        if not symbols:
            raise ValidationError("no symbols given; list at least one", field="symbols")
        syms = [normalize_symbol(s) for s in symbols]
        dups = sorted({s for s in syms if syms.count(s) > 1})
        if dups:
            raise ValidationError(
                f"duplicate symbols: {', '.join(dups)}; list each symbol once", field="symbols"
            )
        if start is not None and end is not None and end < start:
            raise ValidationError(
                f"end {end} is before start {start}; the range is inclusive, so use end >= start",
                field="end",
            )
        for sym in syms:
            _check_overlap(provider.symbol_info(sym), start, end)
        return provider, syms

    def _load(
        self,
        provider: Provider,
        symbol: str,
        start: date | None,
        end: date | None,
        interval: str,
        use_cache: bool,
    ) -> tuple[pd.DataFrame, bool]:
        native = interval if interval in provider.native_intervals else "1d"
        if provider.cacheable and use_cache:
            full, cached = self._through_cache(provider, symbol, start, end, native)
        else:
            full, cached = provider.fetch(symbol, start, end, native), False
            validate_bars(full, symbol)
        out = filter_range(full, symbol, start, end)
        if native != interval:
            out = resample_bars(out, interval)
        return out.copy(), cached

    def _through_cache(
        self, provider: Provider, symbol: str, start: date | None, end: date | None, interval: str
    ) -> tuple[pd.DataFrame, bool]:
        now = datetime.now(UTC)
        # cheap sources are cached whole; remote ones by date range (an open end means today)
        want_start, want_end = (None, None) if provider.cheap else (start, end or now.date())
        entry = self._cache.get(provider.name, symbol, interval)
        if entry is not None and entry.covers(want_start, want_end, now):
            try:
                validate_bars(entry.bars, symbol)
                return entry.bars, True
            except DataError as exc:
                log.warning("cached bars of %s failed validation (%s); fetching again", symbol, exc)
        if entry is not None and not provider.cheap:  # fetch the union so the entry only grows
            if want_start is not None and entry.start is not None:
                want_start = min(want_start, entry.start)
            else:
                want_start = None
            if want_end is not None and entry.end is not None:
                want_end = max(want_end, entry.end)
        bars = provider.fetch(symbol, want_start, want_end, interval)
        validate_bars(bars, symbol)
        self._cache.put(provider.name, symbol, interval, bars, want_start, want_end)
        return bars, False


def _check_overlap(info: SymbolInfo, start: date | None, end: date | None) -> None:
    if info.first is None or info.last is None:
        return
    available = f"{info.symbol} has bars from {info.first} to {info.last}"
    if start is not None and start > info.last:
        raise ValidationError(f"start {start} is after the last bar; {available}", field="start")
    if end is not None and end < info.first:
        raise ValidationError(f"end {end} is before the first bar; {available}", field="end")


def upload_too_large(filename: str, size: int, limit: int) -> PayloadTooLarge:
    """The 413 error for an upload over ``limit`` bytes, naming the limit."""
    return PayloadTooLarge(
        f"{filename} is {size} bytes; uploads are limited to {limit} bytes "
        f"({limit / 2**20:.1f} MiB): split the file or raise MAX_UPLOAD_BYTES",
        field="file",
    )


def market_data_from(settings: Settings) -> MarketData:
    """MarketData as the services and workers use it, configured from settings."""
    # One quick try at Redis: the bar cache falls back to disk, so waiting on a down Redis buys
    # nothing.
    cache = redis_lib.Redis.from_url(
        settings.redis_url, socket_connect_timeout=1, socket_timeout=2, retry=Retry(NoBackoff(), 0)
    )
    return MarketData(
        settings.data_path,
        cache,
        cache_ttl_s=settings.bars_cache_ttl_s,
        yfinance_max_retries=settings.yfinance_max_retries,
        max_upload_bytes=settings.max_upload_bytes,
        upload_limits=UploadLimits(
            max_rows=settings.max_upload_rows,
            max_columns=settings.max_upload_columns,
            max_decoded_bytes=settings.max_upload_decoded_bytes,
        ),
    )
