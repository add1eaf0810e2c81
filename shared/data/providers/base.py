"""The provider interface every market-data source implements, and what it describes itself with."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date

import pandas as pd

from shared.data.resample import DERIVED_INTERVALS
from shared.errors import ValidationError

OHLCV_FIELDS: tuple[str, ...] = ("open", "high", "low", "close", "volume")
OHLC_FIELDS: tuple[str, ...] = ("open", "high", "low", "close")
CLOSE_FIELDS: tuple[str, ...] = ("close",)


@dataclass(frozen=True)
class SourceInfo:
    """A data source as users see it."""

    name: str
    description: str
    intervals: tuple[str, ...]
    offline: bool
    close_only_note: str | None = None


@dataclass(frozen=True)
class SymbolInfo:
    """One symbol of a source; ``first``/``last``/``rows`` are None where not known up front."""

    symbol: str
    name: str
    source: str
    fields: tuple[str, ...] = OHLCV_FIELDS
    first: date | None = None
    last: date | None = None
    close_only: bool = False
    rows: int | None = None


class Provider(ABC):
    """A source of bars. ``fetch`` returns a canonical frame for a native interval.

    Intervals in ``intervals`` but not in ``native_intervals`` are resampled from "1d" by the
    facade. ``fixed_universe`` sources reject symbols they do not list; ``cheap`` sources are
    fetched whole (the facade caches the full history and slices it).
    """

    name: str
    description: str
    native_intervals: tuple[str, ...]
    offline: bool = True
    cheap: bool = True
    cacheable: bool = True
    fixed_universe: bool = True
    close_only_note: str | None = None

    @property
    def intervals(self) -> tuple[str, ...]:
        """Native intervals plus the weekly/monthly ones resampled from daily bars."""
        if "1d" not in self.native_intervals:
            return self.native_intervals
        derived = tuple(i for i in DERIVED_INTERVALS if i not in self.native_intervals)
        return self.native_intervals + derived

    def info(self) -> SourceInfo:
        """This source as a ``SourceInfo``."""
        return SourceInfo(
            self.name, self.description, self.intervals, self.offline, self.close_only_note
        )

    @abstractmethod
    def symbols(self) -> list[SymbolInfo]:
        """The symbols to show users (for open universes: examples)."""

    @abstractmethod
    def symbol_info(self, symbol: str) -> SymbolInfo:
        """Describe one (normalized) symbol; ValidationError(field="symbols") when unknown."""

    @abstractmethod
    def fetch(
        self, symbol: str, start: date | None, end: date | None, interval: str
    ) -> pd.DataFrame:
        """Bars of a native interval covering at least [start, end] (None = unbounded)."""

    def unknown_symbol(self, symbol: str, known: list[str]) -> ValidationError:
        """The error for a symbol this source does not have, listing what it has."""
        shown = ", ".join(known[:30]) + (", ..." if len(known) > 30 else "")
        return ValidationError(
            f"unknown symbol {symbol!r} for source {self.name}; available: {shown or 'none'}",
            field="symbols",
        )
