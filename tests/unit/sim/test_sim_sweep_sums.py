"""The fused sweep's held-stretch sums: the O(1) path from prefix sums of the close's returns
(cash negligible beside the position) and the bar-by-bar loop both equal the sums of the
equity's returns computed here from the equity itself, with exact (fsum) additions."""

from __future__ import annotations

import math

import numpy as np
import pytest

from shared.sim.sweep_single import (
    N_SUMS,
    _add_held_nb,
    _held_sums_nb,
    _moment_sums_nb,
    held_moments_nb,
)


def _closes(seed: int, n: int = 700) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return 50.0 * np.exp(np.cumsum(rng.normal(0.0002, 0.015, n)))


def _reference(close: np.ndarray, cash: float, held: float, lo: int, hi: int) -> np.ndarray:
    """The five sums of eq[t] / eq[t - 1] - 1 over bars lo..hi-1, summed exactly."""
    eq = cash + held * close[lo - 1 : hi]
    x = eq[1:] / eq[:-1] - 1.0
    down = np.minimum(x, 0.0)
    terms = (x, x**2, x**3, x**4, down**2)
    return np.array([math.fsum(t) for t in terms]), np.array([math.fsum(abs(t)) for t in terms])


def _stretches(rng: np.random.Generator, n: int, count: int = 200) -> list[tuple[int, int]]:
    """Random bars lo..hi-1 with lo >= 1, short and long ones."""
    out = []
    for _ in range(count):
        lo = int(rng.integers(1, n - 1))
        length = int(rng.integers(1, 8)) if rng.random() < 0.3 else int(rng.integers(1, n))
        out.append((lo, min(n, lo + length)))
    return out


def _stretch_sums(
    close: np.ndarray, moments: np.ndarray, cash: float, held: float, lo: int, hi: int
) -> tuple[float, ...]:
    """The kernel's sums of a held stretch (_add_held_nb: O(1) or the loop), one partition."""
    sums = np.zeros((1, N_SUMS))
    bounds = np.array([0, close.shape[0]])
    low = float(close[lo - 1 : hi].min())  # the closes of the stretch's returns
    _add_held_nb(close, moments, cash, held, lo, hi, low, bounds, 0, sums)
    return tuple(sums[0])


def _close_to(got: tuple[float, ...], want: np.ndarray, scale: np.ndarray, rel: float) -> bool:
    """Each sum within rel of the sum of its terms' sizes (a signed sum may cancel to ~0)."""
    return bool(np.all(np.abs(np.array(got) - want) <= rel * scale))


# u = cash / held against the closes (~50): a weight-1 long's rounding residual, one inside
# the O(1) path's limit that needs its first-order term (1e-10 relative), and cash that is not
# negligible (weight 0.5, a short's proceeds) which the loop must take
@pytest.mark.parametrize(
    ("cash", "held"),
    [(3e-13, 200.0), (-2e-12, 150.0), (5e-7, 100.0), (5_000.0, 100.0), (20_000.0, -100.0)],
)
@pytest.mark.parametrize("seed", [1, 2])
def test_stretch_sums_equal_the_exact_sums(seed: int, cash: float, held: float) -> None:
    close = _closes(seed)
    moments = held_moments_nb(close)
    rng = np.random.default_rng(seed + 10)
    for lo, hi in _stretches(rng, close.shape[0]):
        want, scale = _reference(close, cash, held, lo, hi)
        got = _stretch_sums(close, moments, cash, held, lo, hi)
        assert _close_to(got, want, scale, 1e-12), (lo, hi)
        loop = _held_sums_nb(close, cash, held, lo, hi)
        assert _close_to(loop, want, scale, 1e-12), (lo, hi)
        assert _close_to(got, loop, scale, 1e-12), (lo, hi)


def test_the_o1_sums_need_the_fallback_for_large_cash() -> None:
    """The prefix-sum formula is first order in cash / held: with cash half the equity it is
    wrong by far more than rounding, so the fallback the test above relies on is exercised."""
    close = _closes(3)
    moments = held_moments_nb(close)
    cash, held = 5_000.0, 100.0
    want, scale = _reference(close, cash, held, 1, close.shape[0])
    wrong = _moment_sums_nb(moments, cash / held, 1, close.shape[0])
    assert not _close_to(wrong, want, scale, 1e-6)


def test_prefix_sums_are_compensated() -> None:
    """A range's sum read from the prefix sums keeps ~1e-16 of its own size, not of the
    running total's: a short stretch late in a long series."""
    close = _closes(4, 20_000)
    moments = held_moments_nb(close)
    g = close[1:] / close[:-1] - 1.0
    for lo, hi in ((19_000, 19_003), (15_000, 15_040), (5, 19_999)):
        got = _moment_sums_nb(moments, 0.0, lo, hi)
        part = g[lo - 1 : hi - 1]
        for k, power in enumerate((1, 2, 3, 4)):
            want = math.fsum(part**power)
            assert abs(got[k] - want) <= 1e-14 * math.fsum(abs(part**power))
        assert got[4] == pytest.approx(math.fsum(np.minimum(part, 0.0) ** 2), rel=1e-14)
