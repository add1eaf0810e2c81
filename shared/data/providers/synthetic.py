"""Seeded synthetic bars for offline use, tests and stress scenarios.

Any symbol ``GBM-<name>`` or ``GARCH-<name>`` is valid. The seed is ``zlib.crc32`` of
"<SYMBOL>:<interval>", so a symbol gives the same bars on every machine and every run, and each
bar depends only on the symbol, never on the requested range (the whole calendar is generated
and sliced). Prices start at 100 on the first calendar day.

* GBM: geometric Brownian motion, drift 6 %/yr, volatility 20 %/yr.
* GARCH: GARCH(1,1) returns simulated with ``arch`` (daily, in percent: mu 0.03, omega 0.02,
  alpha 0.08, beta 0.90, i.e. about 16 %/yr unconditional volatility with volatility clusters).

Bars: open = previous close moved by an overnight gap (20 % of the bar's variance), close = the
bar's return applied to the open; high/low extend beyond max/min(open, close) by half-normal
moves, so they always bracket open and close. Volume is log-normal, larger on big moves.
Calendar: business days for "1d" (00:00 UTC); for "1h", 7 bars per business day 14:00-20:00 UTC
(a US session, daylight saving ignored).
"""

from __future__ import annotations

import re
import zlib
from datetime import date
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import pandas as pd

from shared.data.bars import make_bars
from shared.data.providers.base import OHLCV_FIELDS, Provider, SymbolInfo
from shared.errors import ValidationError

_PATTERN = re.compile(r"(GBM|GARCH)-[A-Z0-9._-]{1,26}")
_EXAMPLES = ("GBM-DEMO", "GBM-SEED1", "GARCH-DEMO", "GARCH-SEED1")
_SPANS = {
    "1d": (date(1990, 1, 1), date(2035, 12, 31)),
    "1h": (date(2010, 1, 1), date(2035, 12, 31)),
}
_BARS_PER_YEAR = {"1d": 252.0, "1h": 252.0 * 7}
_HOURS_UTC = np.arange(14, 21)
_GBM_DRIFT, _GBM_VOL = 0.06, 0.20
_GARCH_PARAMS = (0.03, 0.02, 0.08, 0.90)  # mu, omega, alpha, beta for daily returns in percent
_GAP_SHARE = 0.2
_START_PRICE = 100.0


def seed_for(symbol: str, interval: str) -> int:
    """The stable seed of a symbol and interval (crc32, the same on every machine)."""
    return zlib.crc32(f"{symbol}:{interval}".encode())


def calendar(interval: str) -> pd.DatetimeIndex:
    """Every bar timestamp the generator produces for an interval."""
    first, last = _SPANS[interval]
    days = pd.bdate_range(first, last, tz="UTC", unit="us")
    if interval == "1d":
        return days
    hours = pd.to_timedelta(_HOURS_UTC, unit="h")
    stamps = (days.asi8[:, None] + hours.as_unit("us").asi8[None, :]).ravel()
    return pd.DatetimeIndex(pd.to_datetime(stamps, unit="us", utc=True))


def gbm_returns(
    n: int, per_year: float, rng: np.random.Generator
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Log returns of a GBM and their (constant) per-bar volatility."""
    dt = 1.0 / per_year
    vol = np.full(n, _GBM_VOL * np.sqrt(dt))
    rets = (_GBM_DRIFT - 0.5 * _GBM_VOL**2) * dt + vol * rng.standard_normal(n)
    return rets, vol


def garch_returns(
    n: int, bars_per_day: float, rng: np.random.Generator
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Log returns of a GARCH(1,1) simulated by ``arch`` and their conditional volatility."""
    from arch.univariate import GARCH, ConstantMean, Normal

    mu, omega, alpha, beta = _GARCH_PARAMS
    model = ConstantMean(None, volatility=GARCH(p=1, q=1), distribution=Normal(seed=rng))
    sim = model.simulate([mu / bars_per_day, omega / bars_per_day, alpha, beta], n, burn=500)
    return sim["data"].to_numpy() / 100.0, sim["volatility"].to_numpy() / 100.0


def ohlcv_from_returns(
    rets: npt.NDArray[np.float64], vol: npt.NDArray[np.float64], rng: np.random.Generator
) -> tuple[npt.NDArray[np.float64], ...]:
    """Open, high, low, close, volume whose close-to-close log returns are exactly ``rets``."""
    n = rets.size
    gap = np.sqrt(_GAP_SHARE) * vol * rng.standard_normal(n)
    gap[0] = 0.0
    log_close = np.log(_START_PRICE) + np.cumsum(rets)
    log_open = np.empty(n)
    log_open[0] = np.log(_START_PRICE)
    log_open[1:] = log_close[:-1] + gap[1:]
    close, open_ = np.exp(log_close), np.exp(log_open)
    open_[0] = _START_PRICE
    up = np.exp(np.abs(rng.standard_normal(n)) * 0.5 * vol)
    down = np.exp(-np.abs(rng.standard_normal(n)) * 0.5 * vol)
    high = np.maximum(open_, close) * up
    low = np.minimum(open_, close) * down
    surprise = np.abs(rets) / np.maximum(vol, 1e-12)
    volume = np.round(1e6 * np.exp(0.3 * rng.standard_normal(n)) * (1.0 + 0.5 * surprise))
    return open_, high, low, close, volume


@lru_cache(maxsize=8)
def _generate(symbol: str, interval: str) -> pd.DataFrame:
    index = calendar(interval)
    rng = np.random.default_rng(seed_for(symbol, interval))
    per_year = _BARS_PER_YEAR[interval]
    if symbol.startswith("GBM-"):
        rets, vol = gbm_returns(len(index), per_year, rng)
    else:
        rets, vol = garch_returns(len(index), per_year / 252.0, rng)
    frame = make_bars(index, *ohlcv_from_returns(rets, vol, rng))
    return frame


class SyntheticProvider(Provider):
    """Deterministic GBM and GARCH(1,1) bars for any GBM-*/GARCH-* symbol, offline."""

    name = "synthetic"
    description = (
        "Seeded synthetic bars, offline and deterministic: any symbol GBM-<name> (geometric "
        "Brownian motion, 6 %/yr drift, 20 %/yr vol) or GARCH-<name> (GARCH(1,1) returns with "
        "volatility clusters); the name seeds the generator, so the same name gives the same "
        "bars everywhere. Business days 1990-2035 for 1d, 2010-2035 for 1h."
    )
    native_intervals = ("1d", "1h")
    fixed_universe = False

    def symbols(self) -> list[SymbolInfo]:
        """A few example names; any GBM-*/GARCH-* name works."""
        return [self.symbol_info(s) for s in _EXAMPLES]

    def symbol_info(self, symbol: str) -> SymbolInfo:
        """Describe a generated symbol (daily calendar span)."""
        if not _PATTERN.fullmatch(symbol):
            raise ValidationError(
                f"unknown symbol {symbol!r} for source synthetic: use GBM-<name> or "
                "GARCH-<name> (name: 1-26 characters from A-Z 0-9 . _ -), e.g. GBM-DEMO",
                field="symbols",
            )
        kind = "Geometric Brownian motion" if symbol.startswith("GBM-") else "GARCH(1,1)"
        first, last = _SPANS["1d"]
        return SymbolInfo(
            symbol, f"{kind}, seeded by its name", self.name, OHLCV_FIELDS, first, last
        )

    def fetch(
        self, symbol: str, start: date | None, end: date | None, interval: str
    ) -> pd.DataFrame:
        """The whole generated calendar of the interval (the facade slices it)."""
        self.symbol_info(symbol)
        return _generate(symbol, interval).copy()
