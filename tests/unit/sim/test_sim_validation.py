"""Bad input is refused at the front door with a message that says how to fix it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

from shared.errors import ValidationError
from shared.sim import Slippage, simulate
from tests.unit.sim.conftest import panel, targets_for

N = np.nan


def _base() -> tuple[dict, pd.DataFrame]:
    prices = panel([10.0, 11.0, 12.0, 13.0], volumes=[100.0] * 4)
    return prices, targets_for(prices, [1.0, N, 0.0, N])


def _with(
    field: str, bar: int, value: float, **kwargs: Any
) -> Callable[[], tuple[dict, pd.DataFrame, dict]]:
    def make() -> tuple[dict, pd.DataFrame, dict]:
        prices, targets = _base()
        prices[field] = prices[field].copy()
        prices[field].iloc[bar, 0] = value
        return prices, targets, kwargs

    return make


def _targets(change: Callable[[pd.DataFrame], pd.DataFrame]) -> Callable[[], Any]:
    def make() -> tuple[dict, pd.DataFrame, dict]:
        prices, targets = _base()
        return prices, change(targets), {}

    return make


def _options(**kwargs: Any) -> Callable[[], Any]:
    def make() -> tuple[dict, pd.DataFrame, dict]:
        prices, targets = _base()
        return prices, targets, kwargs

    return make


def _prices(change: Callable[[dict], Any]) -> Callable[[], Any]:
    def make() -> tuple[Any, pd.DataFrame, dict]:
        prices, targets = _base()
        return change(prices), targets, {}

    return make


CASES = [
    ("zero price", _with("close", 2, 0.0), "prices.close", "must be positive"),
    ("negative open", _with("open", 0, -1.0), "prices.open", "must be positive"),
    ("negative low, stops", _with("low", 0, -1.0, stop_loss=0.1), "prices.low", "positive"),
    (
        "infinite high, range slippage",
        _with("high", 3, np.inf, slippage=Slippage(range_frac=1)),
        "prices.high",
        "must be positive",
    ),
    ("negative volume, cap", _with("volume", 1, -5.0, volume_cap=0.1), "prices.volume", "negative"),
    ("index mismatch", _targets(lambda t: t.iloc[1:]), "targets", "reindex"),
    ("symbol mismatch", _targets(lambda t: t.rename(columns={"S0": "X"})), "targets", "symbols"),
    ("boolean targets", _targets(lambda t: t.fillna(0) > 0), "targets", "signals_to_targets"),
    ("infinite target", _targets(lambda t: t.replace(1.0, np.inf)), "targets", "infinite"),
    ("text targets", _targets(lambda t: t.astype(str)), "targets", "numeric"),
    (
        "missing field",
        _prices(lambda p: {k: v for k, v in p.items() if k != "low"}),
        "prices",
        "lacks ['low']",
    ),
    ("not a frame", _prices(lambda p: [1, 2, 3]), "prices", "mapping"),
    ("typo option", _options(comission=0.001), "comission", "did you mean 'commission'"),
    ("unknown fill", _options(fill="next_close"), "fill", "'next_open', 'close'"),
    ("negative fee", _options(commission=-0.001), "commission.rate", "cannot be negative"),
    ("fee as percent", _options(commission=5.0), "commission.rate", "fraction"),
    ("negative slippage", _options(slippage=Slippage(bps=-1.0)), "slippage.bps", ">= 0"),
    ("negative delay", _options(delay=-1), "delay", ">= 0"),
    ("unknown rebalance", _options(rebalance="weekly"), "rebalance", "threshold"),
    ("zero leverage", _options(max_leverage=0.0), "max_leverage", "positive"),
    ("bad size type", _options(size_type="lots"), "size_type", "'weight'"),
    ("bad cash mode", _options(cash="pooled"), "cash", "'shared'"),
    ("no cash", _options(initial_cash=0), "initial_cash", "positive"),
]


@pytest.mark.parametrize(("name", "make", "field", "text"), CASES, ids=[c[0] for c in CASES])
def test_refused_with_a_fix(name: str, make: Callable[[], Any], field: str, text: str) -> None:
    prices, targets, kwargs = make()
    with pytest.raises(ValidationError) as caught:
        simulate(prices, targets, **kwargs)
    assert caught.value.field == field
    assert text in caught.value.detail


def test_unsorted_prices_are_refused() -> None:
    prices, targets = _base()
    flipped = {k: v.iloc[::-1] for k, v in prices.items()}
    with pytest.raises(ValidationError, match="not sorted"):
        simulate(flipped, targets.iloc[::-1])


def test_duplicate_timestamps_are_refused() -> None:
    prices, targets = _base()
    doubled = {k: pd.concat([v.iloc[:2], v.iloc[1:2]]) for k, v in prices.items()}
    with pytest.raises(ValidationError, match="duplicate"):
        simulate(doubled, targets.iloc[[0, 1, 1]])


def test_missing_price_where_nothing_trades_is_fine() -> None:
    prices, targets = _base()
    for name in ("open", "high", "low", "close"):
        prices[name].iloc[3, 0] = N
    # the 0 decided at bar 2 is due at bar 3, which has no price and is the last: it never
    # fills, and the position is marked at the last close
    result = simulate(prices, targets)
    assert result.fills["price"].tolist() == [11.0]
    assert result.equity.iloc[3] == result.equity.iloc[2]


def test_an_order_due_on_a_bar_without_price_waits_for_the_next_price() -> None:
    # this was refused ("has no price") before missing bars were supported; now the order
    # waits like a standing order through a halt, and never fills on the bar without a price
    prices, targets = _base()
    prices["open"].iloc[1, 0] = N
    result = simulate(prices, targets)
    assert result.fills["price"].tolist() == [12.0, 13.0]  # bar 1's order fills at bar 2


def test_single_symbol_frame_with_series_targets() -> None:
    prices, targets = _base()
    ohlc = pd.DataFrame({k.capitalize(): v["S0"] for k, v in prices.items()})
    result = simulate(ohlc, targets["S0"].rename("SPY"))
    assert list(result.symbols) == ["SPY"]
    assert result.fills["price"].tolist() == [11.0, 13.0]


def test_multiindex_columns_are_read() -> None:
    prices, targets = _base()
    wide = pd.concat(prices, axis=1)
    result = simulate(wide, targets)
    assert result.fills["price"].tolist() == [11.0, 13.0]


def test_fields_a_run_does_not_read_are_not_checked() -> None:
    prices, targets = _base()
    prices["high"].iloc[2, 0] = -1.0  # only stops and the range model read high and low
    assert simulate(prices, targets).fills["price"].tolist() == [11.0, 13.0]
    with pytest.raises(ValidationError, match=r"high is -1\.0"):
        simulate(prices, targets, take_profit=0.5)


@pytest.mark.parametrize("field", ["open", "high", "low", "close"])
@pytest.mark.parametrize("bad", [0.0, np.inf])
def test_each_checked_field_is_refused_by_name(field: str, bad: float) -> None:
    """The fields are counted two to a pass: a bad price in either of a pair is found."""
    prices, targets = _base()
    prices[field] = prices[field].copy()
    prices[field].iloc[3, 0] = bad
    with pytest.raises(ValidationError, match=f"{field} is {bad}") as caught:
        simulate(prices, targets, stop_loss=0.5)  # stops read all four
    assert caught.value.field == f"prices.{field}"


def test_a_symbol_with_no_bars_at_all_is_fine() -> None:
    prices = panel([[10.0, N], [11.0, N], [12.0, N]])
    targets = targets_for(prices, [[1.0, N], [N, N], [N, N]])
    result = simulate(prices, targets)
    assert result.fills["symbol"].tolist() == ["S0"]


def test_volume_models_need_volume() -> None:
    prices, targets = _base()
    del prices["volume"]
    for kwargs in ({"volume_cap": 0.1}, {"slippage": Slippage(impact=0.1)}):
        with pytest.raises(ValidationError, match="need bar volume") as caught:
            simulate(prices, targets, **kwargs)
        assert caught.value.field == "prices.volume"


def test_targets_are_aligned_by_symbol_label() -> None:
    prices = panel([[10.0, 20.0]] * 3, symbols=["A", "B"])
    targets = targets_for(prices, [[0.2, 0.3], [N, N], [N, N]])
    swapped = targets[["B", "A"]]
    one, two = simulate(prices, targets), simulate(prices, swapped)
    assert one.fills["filled"].tolist() == two.fills["filled"].tolist()
    assert one.fills["symbol"].tolist() == ["A", "B"]


def test_tz_aware_index_reports_utc_dates() -> None:
    prices, targets = _base()
    index = prices["close"].index.tz_localize("America/New_York")
    moved = {k: v.set_axis(index) for k, v in prices.items()}
    summary = simulate(moved, targets.set_axis(index)).summary
    assert summary["start_date"] == "2020-01-01T05:00:00+00:00"
