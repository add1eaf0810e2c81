"""RunSpec takes NumPy numbers like Python ones, and refuses a stop-loss that cannot trigger."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pytest

from shared.errors import ValidationError
from shared.sim import RunSpec, simulate
from shared.strategies.builtin import get_strategy
from tests.unit.sim.conftest import panel, targets_for

N = np.nan
NUMBERS: dict[str, tuple[Any, Any]] = {  # option: (a NumPy value, the Python value it means)
    "initial_cash": (np.int64(10_000), 10_000.0),
    "delay": (np.int64(1), 1),
    "max_leverage": (np.float32(2.0), 2.0),
    "rebalance": (np.int32(1), 1.0),
    "stop_loss": (np.float64(0.05), 0.05),
    "take_profit": (np.uint8(2), 2.0),
    "volume_cap": (np.float16(0.5), 0.5),
    "periods_per_year": (np.int64(252), 252.0),
}


@pytest.mark.parametrize("name", NUMBERS)
def test_numpy_numbers_are_accepted_as_python_ones(name: str) -> None:
    given, meant = NUMBERS[name]
    spec = RunSpec(**{name: given})
    assert getattr(spec, name) == meant
    assert type(getattr(spec, name)) is type(meant)  # plain Python values reach the kernel
    assert spec == RunSpec(**{name: meant})


def test_a_numpy_cash_and_delay_run_like_python_ones() -> None:
    prices = panel([10.0, 11, 12, 13, 14])
    targets = targets_for(prices, [1.0, N, N, 0.0, N])
    got = simulate(prices, targets, initial_cash=np.int64(10_000), delay=np.int64(1))
    want = simulate(prices, targets, initial_cash=10_000, delay=1)
    assert got.equity.tolist() == want.equity.tolist()


@pytest.mark.parametrize("name", ["initial_cash", "delay", "max_leverage", "stop_loss"])
@pytest.mark.parametrize("flag", [True, np.bool_(True)], ids=["bool", "np.bool_"])
def test_booleans_are_still_refused(name: str, flag: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        RunSpec(**{name: flag})
    assert caught.value.field == name


def test_a_numpy_whole_float_is_not_a_delay() -> None:
    with pytest.raises(ValidationError, match="whole number of bars"):
        RunSpec(delay=np.float64(1.0))  # type: ignore[arg-type]


@pytest.mark.parametrize("stop", [1.0, 1.5, np.float64(3.0)])
def test_a_long_only_stop_loss_of_100_percent_or_more_is_refused(stop: float) -> None:
    with pytest.raises(ValidationError) as caught:
        RunSpec(stop_loss=stop, allow_short=False)
    assert caught.value.field == "stop_loss"
    assert "can never trigger" in caught.value.detail
    assert "0.05" in caught.value.detail  # says what to give instead
    with pytest.raises(ValidationError, match="can never trigger"):
        dataclasses.replace(RunSpec(allow_short=False), stop_loss=stop)
    RunSpec(stop_loss=0.99, allow_short=False)  # just below 100 %: a long can reach it


def test_with_shorts_a_stop_loss_above_100_percent_protects_a_short() -> None:
    # a short loses 150 % when the price rises 150 %: a long's stop at 1.5 never triggers,
    # a short's does, at 2.5 x its entry
    prices = panel([10.0, 10, 20, 26, 30], highs=[10.0, 10, 20, 26, 30])
    result = simulate(prices, targets_for(prices, [-0.1, N, N, N, N]), stop_loss=1.5)
    exit_ = result.orders.iloc[-1]
    assert (exit_["origin"], exit_["bar"], exit_["price"]) == ("stop_loss", 3, 26.0)
    longs = simulate(prices, targets_for(prices, [0.1, N, N, N, N]), stop_loss=1.5)
    assert (longs.orders["origin"] == "target").all()


def test_strategy_parameters_take_numpy_numbers() -> None:
    resolved = get_strategy("sma_crossover").resolve({"fast": np.int64(5), "slow": np.float32(9)})
    assert resolved == {"fast": 5, "slow": 9}
    assert all(type(v) is int for v in resolved.values())
    with pytest.raises(ValidationError) as caught:
        get_strategy("sma_crossover").resolve({"fast": np.bool_(True)})
    assert caught.value.field == "params.fast"
