"""RunSpec: the one definition of the options, checked when built, and the front door's use of it."""

from __future__ import annotations

import dataclasses
import math
from typing import Any, get_type_hints

import numpy as np
import pytest

from shared.errors import ValidationError
from shared.sim import Commission, RunSpec, Slippage, fixed_cash, simulate
from shared.sim.kernel_args import FillCosts, KernelRules, kernel_args
from shared.sim.kernels import simulate_nb
from shared.sim.spec import OPTION_NAMES
from tests.unit.sim.conftest import panel, targets_for
from tests.unit.sim.test_sim_invariants import same_records

N = np.nan

# (keywords, the field the error names, text it contains): at least one per RunSpec field
BAD = [
    ({"initial_cash": 0}, "initial_cash", "positive"),
    ({"initial_cash": "1000"}, "initial_cash", "must be a number"),
    ({"commission": -0.001}, "commission.rate", "cannot be negative"),
    ({"commission": Commission(min_fee=-1.0)}, "commission.min_fee", "cannot be negative"),
    ({"commission": "10bps"}, "commission", "must be a number"),
    ({"slippage": Slippage(spread_bps=-1.0)}, "slippage.spread_bps", ">= 0"),
    ({"slippage": 2}, "slippage", "ambiguous"),
    ({"fill": "open"}, "fill", "'next_open', 'close'"),
    ({"delay": 1.5}, "delay", ">= 0"),
    ({"size_type": "lots"}, "size_type", "'weight'"),
    ({"whole_shares": 1}, "whole_shares", "True or False"),
    ({"allow_short": "no"}, "allow_short", "True or False"),
    ({"max_leverage": -1.0}, "max_leverage", "positive"),
    ({"rebalance": "weekly"}, "rebalance", "threshold"),
    ({"stop_loss": 0.0}, "stop_loss", "positive"),
    ({"take_profit": math.inf}, "take_profit", "positive"),
    ({"volume_cap": -0.1}, "volume_cap", "positive"),
    ({"volume_cap_remainder": "drop"}, "volume_cap_remainder", "'carry', 'cancel'"),
    ({"cash": "pooled"}, "cash", "'shared'"),
    ({"close_at_end": None}, "close_at_end", "True or False"),
    ({"periods_per_year": 0}, "periods_per_year", "positive"),
]


def test_every_option_has_a_bad_value_case() -> None:
    assert {field.split(".")[0] for _, field, _ in BAD} == set(OPTION_NAMES)


@pytest.mark.parametrize(("kwargs", "field", "text"), BAD, ids=[c[1] for c in BAD])
def test_runspec_names_the_bad_field(kwargs: dict[str, Any], field: str, text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        RunSpec(**kwargs)
    assert caught.value.field == field
    assert text in caught.value.detail
    # dataclasses.replace builds a new RunSpec, so it is checked the same way
    with pytest.raises(ValidationError) as again:
        dataclasses.replace(RunSpec(), **kwargs)
    assert again.value.field == field


def test_runspec_normalises_values() -> None:
    spec = RunSpec(initial_cash=1000, commission=0.001, max_leverage=2, rebalance=1, stop_loss=1)
    assert spec.commission == Commission(rate=0.001)
    for name in ("initial_cash", "max_leverage", "rebalance", "stop_loss"):
        assert type(getattr(spec, name)) is float, name
    assert RunSpec() == RunSpec(commission=Commission(), slippage=Slippage())


def test_runspec_is_immutable() -> None:
    spec = RunSpec()
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.delay = 2  # type: ignore[misc]
    assert spec.delay == 0


def test_bare_slippage_says_how_to_write_it() -> None:
    prices = panel([10.0, 11.0, 12.0, 13.0])
    with pytest.raises(ValidationError) as caught:
        simulate(prices, targets_for(prices, [1.0, N, N, N]), slippage=2)
    assert caught.value.field == "slippage"
    assert caught.value.detail == (
        "slippage=2 is ambiguous (a fraction or basis points?); pass Slippage(bps=2) for "
        "2 basis points (0.02%)"
    )


@pytest.mark.parametrize(
    ("typo", "meant"),
    [("delya", "delay"), ("comission", "commission"), ("slipage", "slippage"),
     ("allowshort", "allow_short"), ("max_leverge", "max_leverage")],
)  # fmt: skip
def test_unknown_option_suggests_the_name(typo: str, meant: str) -> None:
    prices = panel([10.0, 11.0, 12.0, 13.0])
    with pytest.raises(ValidationError) as caught:
        simulate(prices, targets_for(prices, [1.0, N, N, N]), RunSpec(), **{typo: 1})
    assert caught.value.field == typo
    assert f"did you mean {meant!r}?" in caught.value.detail


def test_unknown_option_with_no_near_name_lists_them() -> None:
    prices = panel([10.0, 11.0])
    with pytest.raises(ValidationError) as caught:
        simulate(prices, targets_for(prices, [1.0, N]), zzz=1)
    assert "valid options: initial_cash, commission, slippage" in caught.value.detail


def test_spec_must_be_a_runspec() -> None:
    prices = panel([10.0, 11.0])
    with pytest.raises(ValidationError) as caught:
        simulate(prices, targets_for(prices, [1.0, N]), 10_000)  # type: ignore[arg-type]
    assert caught.value.field == "spec"


def test_keyword_options_override_the_spec() -> None:
    prices = panel([10.0, 11.0, 12.0, 13.0, 14.0], [10.5, 11.5, 12.5, 13.5, 14.5])
    targets = targets_for(prices, [0.5, N, -0.5, N, 0.0])
    spec = RunSpec(initial_cash=1000.0, commission=0.01, slippage=Slippage(bps=5.0))
    one = simulate(prices, targets, spec, delay=2)
    two = simulate(prices, targets, dataclasses.replace(spec, delay=2))
    assert one.spec == two.spec
    assert one.spec.delay == 2 and spec.delay == 0  # the spec passed in is left alone
    np.testing.assert_array_equal(one.equity.to_numpy(), two.equity.to_numpy())
    same_records(one.order_records, two.order_records)
    same_records(one.trade_records, two.trade_records)
    assert one.summary == two.summary
    # and the delay did change the run
    assert one.fills["bar"].tolist() != simulate(prices, targets, spec).fills["bar"].tolist()


def test_keywords_alone_equal_a_spec() -> None:
    prices = panel([10.0, 11.0, 12.0, 13.0])
    targets = targets_for(prices, [1.0, N, 0.0, N])
    by_keyword = simulate(prices, targets, commission=0.001, whole_shares=True)
    by_spec = simulate(prices, targets, RunSpec(commission=0.001, whole_shares=True))
    assert by_keyword.spec == by_spec.spec
    assert by_keyword.summary == by_spec.summary


def test_size_type_is_resolved_into_the_result_spec() -> None:
    prices = panel([10.0, 10.0, 10.0])
    cash = fixed_cash(targets_for(prices, [1.0, N, N]), 500.0)
    assert simulate(prices, cash).spec.size_type == "value"  # from the frame's attrs
    assert simulate(prices, cash, size_type="shares").spec.size_type == "shares"
    weights = targets_for(prices, [0.5, N, N])
    assert simulate(prices, weights).spec.size_type == "weight"
    assert simulate(prices, weights, RunSpec(size_type="value")).spec.size_type == "value"


def test_kernel_args_are_exactly_typed() -> None:
    """Ints in a spec reach the kernel as floats: one compiled signature serves every run."""
    spec = RunSpec(
        initial_cash=1000, commission=Commission(rate=0.001, per_share=1, min_fee=2, fixed=3),
        slippage=Slippage(bps=4, spread_bps=6, range_frac=1, impact=2), max_leverage=2,
        rebalance=1, stop_loss=1, take_profit=2, volume_cap=1, delay=1, size_type="shares",
    )  # fmt: skip
    cost, rules = kernel_args(spec)
    assert cost.base == pytest.approx(4e-4 + 6e-4 / 2)  # bps + half the spread
    assert cost._replace(base=0.0) == FillCosts(0.001, 1.0, 2.0, 3.0, 0.0, 1.0, 2.0)
    assert rules == KernelRules(True, 2, 2, False, True, 2.0, 2, 1.0, 1.0, True, 1.0, 2.0, False)
    for value, kind in zip(rules, get_type_hints(KernelRules).values(), strict=True):
        assert type(value) is kind
    assert all(type(value) is float for value in cost)
    prices = panel([10.0, 11.0, 12.0, 13.0], volumes=[1e6] * 4)
    simulate(prices, targets_for(prices, [1, N, 0, N]), spec)
    assert len(simulate_nb.signatures) == 1
