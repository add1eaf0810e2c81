"""Synthetic bars: valid OHLC for any seed, deterministic, range-independent, fast."""

from __future__ import annotations

import time
import zlib

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.data.bars import validate_bars
from shared.data.providers.synthetic import (
    SyntheticProvider,
    _generate,
    gbm_returns,
    ohlcv_from_returns,
    seed_for,
)
from shared.errors import ValidationError

PROVIDER = SyntheticProvider()
names = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", min_size=1, max_size=26)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 600))
def test_ohlc_brackets_open_and_close_for_any_seed(seed: int, n: int) -> None:
    rng = np.random.default_rng(seed)
    rets, vol = gbm_returns(n, 252.0, rng)
    open_, high, low, close, volume = ohlcv_from_returns(rets, vol, rng)
    assert (high >= np.maximum(open_, close)).all()
    assert (low <= np.minimum(open_, close)).all()
    assert (low > 0).all() and (volume >= 0).all()
    np.testing.assert_allclose(np.diff(np.log(close)), rets[1:], rtol=1e-9, atol=1e-12)


@settings(max_examples=10, deadline=None)
@given(kind=st.sampled_from(["GBM", "GARCH"]), name=names)
def test_any_name_gives_valid_bars(kind: str, name: str) -> None:
    symbol = f"{kind}-{name}"
    validate_bars(PROVIDER.fetch(symbol, None, None, "1d"), symbol)


def test_same_symbol_same_bars_and_different_symbols_differ() -> None:
    _generate.cache_clear()
    first = PROVIDER.fetch("GBM-DEMO", None, None, "1d")
    _generate.cache_clear()
    again = PROVIDER.fetch("GBM-DEMO", None, None, "1d")
    pd.testing.assert_frame_equal(first, again)
    other = PROVIDER.fetch("GBM-DEMO2", None, None, "1d")
    assert not np.allclose(first["close"].to_numpy(), other["close"].to_numpy())
    garch = PROVIDER.fetch("GARCH-DEMO", None, None, "1d")
    assert garch.index.equals(first.index)
    assert not np.allclose(first["close"].to_numpy(), garch["close"].to_numpy())


def test_seed_is_a_stable_crc32() -> None:
    assert seed_for("GBM-DEMO", "1d") == zlib.crc32(b"GBM-DEMO:1d") == 1789797721


def test_known_first_bars_pin_the_generator() -> None:
    # A change here changes every stored synthetic result: make it on purpose only.
    bars = PROVIDER.fetch("GBM-DEMO", None, None, "1d")
    assert bars.index[0] == pd.Timestamp("1990-01-01", tz="UTC")
    assert bars["open"].iloc[0] == 100.0
    first_return = gbm_returns(1, 252.0, np.random.default_rng(seed_for("GBM-DEMO", "1d")))[0][0]
    assert bars["close"].iloc[0] == pytest.approx(100.0 * np.exp(first_return), rel=1e-12)
    assert bars["close"].iloc[:2].tolist() == pytest.approx([98.495607695511, 97.45737386607132])
    assert bars["volume"].iloc[:2].tolist() == [2405140.0, 1051522.0]


def test_calendars() -> None:
    daily = PROVIDER.fetch("GBM-CAL", None, None, "1d")
    assert (daily.index.dayofweek < 5).all()
    assert (daily.index.hour == 0).all()
    hourly = PROVIDER.fetch("GBM-CAL", None, None, "1h")
    assert (hourly.index.dayofweek < 5).all()
    assert sorted(set(hourly.index.hour)) == list(range(14, 21))
    assert hourly.index[0] == pd.Timestamp("2010-01-01 14:00", tz="UTC")
    validate_bars(hourly, "GBM-CAL")


def test_garch_has_volatility_clusters() -> None:
    close = PROVIDER.fetch("GARCH-CLUSTER", None, None, "1d")["close"].to_numpy()
    r = np.diff(np.log(close))
    sq = r**2 - (r**2).mean()
    autocorr = (sq[1:] * sq[:-1]).mean() / (sq**2).mean()
    assert autocorr > 0.05  # squared returns are autocorrelated under GARCH
    assert 0.08 < r.std() * np.sqrt(252) < 0.30


def test_ten_years_of_gbm_daily_is_fast() -> None:
    _generate.cache_clear()
    PROVIDER.fetch("GBM-WARM", None, None, "1d")
    timings = []
    for i in range(5):
        _generate.cache_clear()
        t0 = time.perf_counter()
        PROVIDER.fetch(f"GBM-SPEED{i}", None, None, "1d")  # 46 years, more than the 10 asked
        timings.append(time.perf_counter() - t0)
    assert min(timings) < 0.02


def test_invalid_names_are_refused_with_the_pattern() -> None:
    with pytest.raises(ValidationError) as err:
        PROVIDER.symbol_info("FOO")
    assert err.value.field == "symbols"
    assert "use GBM-<name> or GARCH-<name>" in err.value.detail
    assert [s.symbol for s in PROVIDER.symbols()] == [
        "GBM-DEMO",
        "GBM-SEED1",
        "GARCH-DEMO",
        "GARCH-SEED1",
    ]
