"""The fused sweep's SMA event scan (changed bars found eight at a time) gives exactly the
trading bars and targets of the plain bar-by-bar scan (events_nb over the signal array)."""

from __future__ import annotations

import numpy as np
import pytest

from shared.sim.sweep_single import events_nb, first_bars_nb, sma_events_nb, sma_signal_nb


def _plain_events(
    fast: np.ndarray, slow: np.ndarray, short: bool, weight: float, lag: int
) -> tuple[np.ndarray, np.ndarray]:
    sig = np.array([sma_signal_nb(f, s, short) for f, s in zip(fast, slow, strict=True)])
    ev_bar, ev_target = np.empty(len(sig), dtype=np.int64), np.empty(len(sig))
    k = events_nb(sig, weight, lag, ev_bar, ev_target)
    return ev_bar[:k], ev_target[:k]


def _block_events(
    fast: np.ndarray, slow: np.ndarray, short: bool, weight: float, lag: int, start: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    n = len(fast)
    ev_bar, ev_target = np.full(n, -1, dtype=np.int64), np.full(n, np.nan)
    changed = np.full((n + 63) // 64 * 64 + 8, 7, dtype=np.uint8)  # stale bytes past the bars
    codes = np.full(n + 8, 5, dtype=np.int8)  # stale codes too
    k = sma_events_nb(fast, slow, short, weight, lag, ev_bar, ev_target, changed, codes, start)
    return ev_bar[:k], ev_target[:k]


def _start(fast: np.ndarray, slow: np.ndarray) -> int:
    """The first bar with both averages, as the sweep passes it (first_bars_nb of each)."""
    return int(first_bars_nb(np.vstack([fast, slow])).max())


def _series(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Averages that cross often, tie (equal values), and start with NaN warm-ups."""
    fast = np.round(rng.normal(0.0, 1.0, n).cumsum(), 1)
    slow = np.round(fast + rng.normal(0.0, 0.6, n), 1)
    ties = rng.random(n) < 0.15
    slow[ties] = fast[ties]
    fast[: rng.integers(0, n // 3 + 1)] = np.nan
    slow[: rng.integers(0, n // 2 + 1)] = np.nan
    return fast, slow


@pytest.mark.parametrize("n", [1, 2, 7, 8, 9, 15, 16, 17, 63, 64, 65, 127, 128, 129, 300])
@pytest.mark.parametrize("short", [False, True])
def test_sma_events_equal_the_plain_scan(n: int, short: bool) -> None:
    rng = np.random.default_rng(n)
    for trial in range(20):
        fast, slow = _series(rng, n)
        for weight in (1.0, 0.5, -2.0, 0.0, -0.0, 5e-324, np.nan, np.inf):
            for lag in (0, 1, 3):
                want = _plain_events(fast, slow, short, weight, lag)
                for start in (0, _start(fast, slow)):
                    got = _block_events(fast, slow, short, weight, lag, start)
                    msg = f"{trial} {weight} {lag} {start}"
                    np.testing.assert_array_equal(got[0], want[0], err_msg=msg)
                    np.testing.assert_array_equal(got[1], want[1], err_msg=msg)


@pytest.mark.parametrize("edge", [7, 8, 9, 15, 16, 31, 32, 33, 63, 64])
def test_a_change_at_a_word_edge_is_found(edge: int) -> None:
    """Crossings on the bars next to the 8-bar words' edges, and one on every bar."""
    n = 80
    fast = np.zeros(n)
    slow = np.full(n, 0.5)
    fast[edge] = 1.0  # above for one bar: a buy on it, a sale on the next
    fast[edge + 1 :: 9] = 1.0
    for short in (False, True):
        for lag in (0, 1):
            want = _plain_events(fast, slow, short, 1.0, lag)
            got = _block_events(fast, slow, short, 1.0, lag)
            np.testing.assert_array_equal(got[0], want[0])
            np.testing.assert_array_equal(got[1], want[1])
    alternating = np.where(np.arange(n) % 2 == 0, 1.0, 0.0)
    want = _plain_events(alternating, slow, True, 1.0, 0)
    got = _block_events(alternating, slow, True, 1.0, 0)
    assert len(want[0]) == n
    np.testing.assert_array_equal(got[0], want[0])
    np.testing.assert_array_equal(got[1], want[1])
