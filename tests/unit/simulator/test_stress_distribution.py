"""The stress report's distribution of one outcome: percentiles and a histogram that account for
every scenario with a defined value, checked against a plain count."""

from __future__ import annotations

import math

import numpy as np
import pytest

from simulator.stress import distribution


def _count_between(values: list[float], lo: float, hi: float, *, last: bool) -> int:
    return sum(1 for v in values if lo <= v < hi or (last and v == hi))


@pytest.mark.parametrize("n", [3, 40, 2_000])
def test_histogram_counts_every_defined_scenario_in_its_bin(n: int) -> None:
    rng = np.random.default_rng(n)
    values = list(rng.lognormal(11.5, 0.3, n))
    dist = distribution([*values, None, math.nan])  # undefined outcomes are left out
    hist = dist["histogram"]
    edges, counts = hist["edges"], hist["counts"]
    assert len(edges) == len(counts) + 1
    assert 5 <= len(counts) <= 40
    assert edges == sorted(edges)
    assert edges[0] == min(values) and edges[-1] == pytest.approx(max(values))
    assert sum(counts) == n
    for i, count in enumerate(counts):
        last = i == len(counts) - 1
        assert count == _count_between(values, edges[i], edges[i + 1], last=last)
    assert dist["p50"] == pytest.approx(float(np.median(values)))


def test_identical_outcomes_make_one_bin_and_none_make_no_histogram() -> None:
    same = distribution([7.0, 7.0, 7.0])
    assert same["histogram"]["counts"] == [3]
    assert same["histogram"]["edges"][0] < 7.0 < same["histogram"]["edges"][1]
    empty = distribution([None, math.nan])
    assert empty["histogram"] is None and empty["mean"] is None
