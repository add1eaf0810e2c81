"""The fused sweep's path for one symbol in one account: a combination's figures from its trades,
with no equity curve kept and no second pass over one.

Between two trades the cash and the position are fixed, so the equity at bar t is
cash + held * close[t] (shared.sim.sweep_kernel._run_single_nb's marking, same operations):
- flat (held == 0): the equity does not move, its returns are exactly 0 and add nothing;
- holding: the returns eq[t] / eq[t - 1] - 1 of a stretch of bars are summed in one vectorised
  loop over the closes (another order of additions than sweep_stats' pass: ~1e-16 relative,
  more only in figures that cancel, e.g. a skew near 0), or in O(1) from prefix sums of the
  close's own returns when the cash beside the position is negligible (held_moments_nb; the
  equity's rounding is then not replayed: ~1e-13 relative in the ratios, more where they
  cancel). The equity is monotone in the close (rounding included), so a span's extreme
  equities come from its extreme closes, read in O(1) from a sparse table built once per
  sweep (close_ranges_nb).
The maximum drawdown is 1 - min over t of eq[t] / peak[t] (peak: the highest equity so far),
which equals _run_single_nb's max over peaks of 1 - trough / peak exactly, since a rounded
division is monotone in its numerator. A ratio is computed only where it can lower the minimum;
a span whose lowest equity is above min * its highest peak cannot, and is not walked bar by bar.
A combination whose equity reaches <= 0 is left to the equity-curve path (the caller's).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from numba import njit

from shared.sim import enums as en
from shared.sim.execution import cut_order_nb, fill_terms_nb, negligible_nb, want_nb
from shared.sim.kernel_args import FillCosts, KernelRules
from shared.sim.sweep_stats import N_FIGURES, figures_nb

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
U8 = npt.NDArray[np.uint8]
I8 = npt.NDArray[np.int8]

# A bar whose equity is >= fl(peak * fl(min_ratio * NEAR)) has eq / peak > min_ratio, so its
# rounded ratio cannot be below min_ratio: 1e-15 covers the two roundings (2 x 1.1e-16).
NEAR = 1.0 + 1e-15
CHUNK_LEVEL = 4  # a held span that may set a new drawdown is tested in pieces of 2**4 bars
CHUNK = 1 << CHUNK_LEVEL
N_SUMS = 5  # per partition: the sums of r, r², r³, r⁴, min(r, 0)²
# The prefix sums' rows: the Neumaier totals and their compensations of g^k, then the plain
# sums of g^k / close (the first-order term: its own rounding is far below the figures').
HI, LO, OVER_C = 0, 1, 2
# Largest (cash / position / close)² for which the O(1) sums hold: the dropped second-order
# term, ~10 x that of each sum, is then below a double's rounding (1.1e-16).
TINY = 1e-17


# numba's private flag for the helpers called per combination or per stretch, which allocate
# nothing: no reference counting (the atomic count updates numba adds for each array argument
# took a tenth of a sweep)
_no_refcounts = njit(cache=True, error_model="numpy", _nrt=False)  # type: ignore[call-overload]


# Inlined (numba's IR inlining: the caller's options apply, the same error model here), as is
# _held_drawdown_nb: a call passes each array as its seven fields, pushed one by one on every
# trade and every held stretch (a sixth of a sweep's time).
@njit(cache=True, error_model="numpy", inline="always")
def rebalance_one_nb(
    target: float, ref: float, cash: float, held: float, cost: FillCosts, rules: KernelRules
) -> tuple[float, float, int]:
    """_trade_nb for one symbol in one account: (cash, position, trades opened)."""
    equity = cash + held * ref if held != 0.0 else cash
    w = want_nb(target, ref, equity, en.SIZE_WEIGHT, rules.whole)
    if math.isnan(w):
        return cash, held, 0
    if w < 0.0 and not rules.allow_short:
        w = 0.0
    if negligible_nb(w, held):
        return cash, held, 0
    after, _, _ = cut_order_nb(
        held, w, en.REASON_NONE, ref, cost.base, np.nan, equity, abs(held) * ref, cost, rules
    )
    qty = after - held
    if qty == 0.0:
        return cash, held, 0
    price, fee, _ = fill_terms_nb(qty, ref, cost.base, np.nan, cost)
    opened = 1 if held == 0.0 or held * after < 0.0 else 0
    return cash - (qty * price + fee), after, opened


@njit(cache=True, inline="always")
def sma_signal_nb(fast: float, slow: float, short: bool) -> float:
    """The SMA crossover's signal; NaN compares false: 0 before the slow average exists."""
    return (1.0 if fast > slow else 0.0) - (1.0 if short and fast < slow else 0.0)


# The two scans below find _run_single_nb's trading bars: where the target (the signal decided
# lag bars earlier x weight) differs from the last one. `last` is set on every bar (equal in
# value to the one _run_single_nb keeps), so no bar waits on the previous bar's comparison.


@njit(cache=True, error_model="numpy")
def events_nb(sig: F64, weight: float, lag: int, ev_bar: I64, ev_target: F64) -> int:
    """The trading bars and their targets from each bar's signal; returns how many."""
    last = 0.0
    k = 0
    for d in range(sig.shape[0] - lag):
        target = sig[d] * weight
        if target != last:
            ev_bar[k] = d + lag
            ev_target[k] = target
            k += 1
        last = target
    return k


# The SMA signal changes tens of times in thousands of bars. Since `last` is the previous bar's
# target, bar d trades exactly when its target differs from bar d - 1's (0.0 before bar 0): a
# test of two bars that a vectorised pass makes for all of them at once, into one byte per bar.
# The bytes are then read eight at a time and only the nonzero words are looked into.
DEBRUIJN = 0x07EDD5E59A4E28C2  # (lowest bit * DEBRUIJN) >> 58 is distinct for each bit
BIT_OF_SLOT = np.zeros(64, dtype=np.int64)
for _bit in range(64):
    BIT_OF_SLOT[((DEBRUIJN << _bit) & (2**64 - 1)) >> 58] = _bit


@_no_refcounts
def _sma_changes_nb(fast: F64, slow: F64, short: bool, weight: float, n: int, changed: U8) -> None:
    """changed[d] = 1 where bar d's target differs from bar d - 1's, for d < n (n >= 1)."""
    changed[0] = 1 if sma_signal_nb(fast[0], slow[0], short) * weight != 0.0 else 0
    f0, s0 = fast[: n - 1], slow[: n - 1]  # indices from 0: no negative-index check
    f1, s1, out = fast[1:n], slow[1:n], changed[1:n]
    for i in range(out.shape[0]):
        before = sma_signal_nb(f0[i], s0[i], short) * weight
        now = sma_signal_nb(f1[i], s1[i], short) * weight
        out[i] = 1 if now != before else 0  # a byte, not a bool: the loop vectorises


@_no_refcounts
def _sma_code_changes_nb(fast: F64, slow: F64, short: bool, n: int, changed: U8, codes: I8) -> None:
    """_sma_changes_nb for a finite nonzero weight, where the target changes exactly when the
    signal does: each bar's signal once, as a byte, then the bytes compared (both vectorise)."""
    f, s, c = fast[:n], slow[:n], codes[:n]
    if short:
        for i in range(n):
            c[i] = (f[i] > s[i]) - (f[i] < s[i])
    else:
        for i in range(n):
            c[i] = f[i] > s[i]
    changed[0] = c[0] != 0
    before, now, out = c[: n - 1], c[1:n], changed[1:n]
    for i in range(out.shape[0]):
        out[i] = before[i] != now[i]


@_no_refcounts
def sma_events_nb(
    fast: F64, slow: F64, short: bool, weight: float, lag: int, ev_bar: I64, ev_target: F64,
    changed: U8, codes: I8, start: int,
) -> int:  # fmt: skip
    """events_nb of the SMA crossover, its signal computed on the way (no signal array);
    changed: scratch of at least the bars rounded up to a multiple of 64; codes: scratch of at
    least the bars; start: a bar before which one of the averages is NaN (0 when unknown)."""
    n = fast.shape[0] - lag
    if n <= 0:
        return 0
    words = changed[: (n + 63) // 64 * 64]
    words[n:] = 0
    first = 0  # bars before it have no change (their signal is 0, their target 0 as before)
    if weight != 0.0 and math.isfinite(weight):
        first = min(start, n) // 64 * 64  # (the scan below starts there too)
        if first < n:
            m = n - first
            _sma_code_changes_nb(fast[first:], slow[first:], short, m, words[first:], codes)
    else:
        _sma_changes_nb(fast, slow, short, weight, n, words)
    w = words.view(np.uint64)
    k = 0
    for block in range(first // 64, w.shape[0] // 8):  # 64 bars: almost always no change
        q0 = 8 * block
        bits = w[q0] | w[q0 + 1] | w[q0 + 2] | w[q0 + 3]
        bits |= w[q0 + 4] | w[q0 + 5] | w[q0 + 6] | w[q0 + 7]
        if bits == 0:
            continue
        for q in range(q0, q0 + 8):
            word = w[q]
            while word != 0:
                low = word & (~word + np.uint64(1))
                d = 8 * q + BIT_OF_SLOT[(low * np.uint64(DEBRUIJN)) >> np.uint64(58)] // 8
                ev_bar[k] = d + lag
                ev_target[k] = sma_signal_nb(fast[d], slow[d], short) * weight
                k += 1
                word ^= low
    return k


@njit(cache=True)
def first_bars_nb(rows: F64) -> I64:
    """Per row of a (rows x bars) table, the first bar whose value is not NaN (bars if none)."""
    out = np.full(rows.shape[0], rows.shape[1], dtype=np.int64)
    for r in range(rows.shape[0]):
        for t in range(rows.shape[1]):
            if not math.isnan(rows[r, t]):
                out[r] = t
                break
    return out


@njit(cache=True, error_model="numpy")
def close_ranges_nb(close: F64) -> tuple[F64, I64]:
    """A sparse table of the closes' extremes: table[0, j, t] (table[1, j, t]) is the lowest
    (highest) close of bars t..t + 2**j - 1; and floor(log2(m)) for m in 0..n_bars."""
    n = close.shape[0]
    log2 = np.zeros(n + 1, dtype=np.int64)
    for m in range(2, n + 1):
        log2[m] = log2[m // 2] + 1
    table = np.empty((2, log2[n] + 1, n))  # (n == 0: one empty level)
    table[0, 0] = close
    table[1, 0] = close
    for j in range(1, log2[n] + 1):
        half = 1 << (j - 1)
        for t in range(n - (1 << j) + 1):
            table[0, j, t] = min(table[0, j - 1, t], table[0, j - 1, t + half])
            table[1, j, t] = max(table[1, j - 1, t], table[1, j - 1, t + half])
    return table, log2


@njit(cache=True, inline="always")
def _close_range_nb(table: F64, log2: I64, lo: int, hi: int) -> tuple[float, float]:
    """The lowest and highest close of bars lo..hi-1 (two overlapping power-of-two spans)."""
    j = log2[hi - lo]
    last = hi - (1 << j)
    return min(table[0, j, lo], table[0, j, last]), max(table[1, j, lo], table[1, j, last])


@njit(cache=True, inline="always")
def _drawdown_nb(equity: float, peak: float, low_ratio: float) -> tuple[float, float]:
    """(peak, lowest equity / peak) after one more close."""
    if equity > peak:
        return equity, low_ratio
    if equity < peak * (low_ratio * NEAR):
        return peak, min(low_ratio, equity / peak)
    return peak, low_ratio


@njit(cache=True, inline="always")
def _held_drawdown_nb(
    close: F64, ranges: tuple[F64, I64], cash: float, held: float, lo: int, hi: int,
    c_low: float, c_high: float, peak: float, low_ratio: float,
) -> tuple[float, float]:  # fmt: skip
    """_drawdown_nb over bars lo..hi-1 held at (cash, held), whose lowest and highest closes
    are c_low and c_high. The span is skipped whole when its lowest equity is above low_ratio x
    its highest peak; else its CHUNK-bar pieces are tested the same way in turn (the sparse
    table's level for CHUNK bars: loads one after another, none waiting on the last test, as
    halving did) and only those that fail are walked."""
    table, _ = ranges
    if held < 0.0:  # a short's equity falls as the close rises
        c_low, c_high = c_high, c_low
    top = max(peak, cash + held * c_high)
    if not cash + held * c_low < top * (low_ratio * NEAR):
        return top, low_ratio  # no bar of the span can set a lower ratio
    t = lo
    if hi - lo >= CHUNK:  # (the table has that level)
        lows = table[0, CHUNK_LEVEL] if held > 0.0 else table[1, CHUNK_LEVEL]
        highs = table[1, CHUNK_LEVEL] if held > 0.0 else table[0, CHUNK_LEVEL]
        while t + CHUNK <= hi:
            top = max(peak, cash + held * highs[t])
            if not cash + held * lows[t] < top * (low_ratio * NEAR):
                peak = top
            else:
                for u in range(t, t + CHUNK):
                    peak, low_ratio = _drawdown_nb(cash + held * close[u], peak, low_ratio)
            t += CHUNK
    for u in range(t, hi):
        peak, low_ratio = _drawdown_nb(cash + held * close[u], peak, low_ratio)
    return peak, low_ratio


# reassoc lets LLVM vectorise the sums, as in sweep_stats._block_sums_nb: another order of
# additions than that pass (~1e-16 relative); error_model="numpy" keeps the division in vectors.
# No "contract": the equities must be rounded as _run_single_nb rounds them (no fused multiply-add).
@njit(cache=True, fastmath={"reassoc", "nsz", "nnan", "ninf"}, error_model="numpy", _nrt=False)  # type: ignore[call-overload]
def _held_sums_nb(
    close: F64, cash: float, held: float, lo: int, hi: int
) -> tuple[float, float, float, float, float]:
    """Over bars lo..hi-1 (lo >= 1) held at (cash, held), r = eq[t] / eq[t - 1] - 1: the sums of
    r, r², r³, r⁴ and min(r, 0)²."""
    s1 = 0.0
    s2 = 0.0
    s3 = 0.0
    s4 = 0.0
    down = 0.0
    c = close[lo - 1 : hi]  # indices from 0: no negative-index check keeps the loop scalar
    for i in range(c.shape[0] - 1):
        x = (cash + held * c[i + 1]) / (cash + held * c[i]) - 1.0
        xx = x * x
        s1 += x
        s2 += xx
        s3 += xx * x
        s4 += xx * xx
        m = min(x, 0.0)
        down += m * m
    return s1, s2, s3, s4, down


@njit(cache=True, error_model="numpy")
def held_moments_nb(close: F64) -> F64:
    """Prefix sums over the close's returns g[i] = close[i + 1] / close[i] - 1: out[k, HI, j] +
    out[k, LO, j] is the compensated sum over i < k of g[i]^(j + 1) (j < 4) or min(g[i], 0)²
    (j = 4); out[k, OVER_C, j] the plain sum of the same terms divided by close[i]."""
    n = close.shape[0]
    out = np.zeros((max(n, 1), 3, N_SUMS))
    for i in range(n - 1):
        g = close[i + 1] / close[i] - 1.0
        gg = g * g
        m = min(g, 0.0)
        terms = (g, gg, gg * g, gg * gg, m * m)
        for j in range(N_SUMS):
            total, comp = _add_nb(out[i, HI, j], out[i, LO, j], terms[j])
            out[i + 1, HI, j] = total
            out[i + 1, LO, j] = comp
            out[i + 1, OVER_C, j] = out[i, OVER_C, j] + terms[j] / close[i]
    return out


@njit(cache=True, inline="always")
def _add_nb(total: float, comp: float, value: float) -> tuple[float, float]:
    """Neumaier's compensated addition: (total, comp) with total + comp the running sum (the
    indicators module's, kept here: numba's cache stamps a kernel with its own file only)."""
    new = total + value
    if abs(total) >= abs(value):
        comp += (total - new) + value
    else:
        comp += (value - new) + total
    return new, comp


@njit(cache=True, inline="always")
def _moment_sums_nb(
    moments: F64, u: float, lo: int, hi: int
) -> tuple[float, float, float, float, float]:
    """_held_sums_nb's five sums from the prefix sums, for u = cash / held negligible beside the
    closes: x = g / (1 + u / close) = g - g u / close + O((u / close)²), so the sum of x^k is
    that of g^k less k u times that of g^k / close (min(x, 0)² likewise, sign(x) = sign(g))."""
    a = moments[lo - 1]
    b = moments[hi - 1]
    return (
        _moment_sum_nb(a, b, 0, u),
        _moment_sum_nb(a, b, 1, 2.0 * u),
        _moment_sum_nb(a, b, 2, 3.0 * u),
        _moment_sum_nb(a, b, 3, 4.0 * u),
        _moment_sum_nb(a, b, 4, 2.0 * u),
    )


@njit(cache=True, inline="always")
def _moment_sum_nb(a: F64, b: F64, j: int, ku: float) -> float:
    """Sum j between prefix rows a and b, less ku times its sum over the closes."""
    return ((b[HI, j] - a[HI, j]) + (b[LO, j] - a[LO, j])) - ku * (b[OVER_C, j] - a[OVER_C, j])


@njit(cache=True, inline="always")
def _cash_negligible_nb(u: float, low: float) -> bool:
    """Whether the O(1) sums hold for u = cash / held over closes no lower than `low`."""
    return u * u < TINY * (low * low)


@njit(cache=True, inline="always")
def _add_held_nb(
    close: F64, moments: F64, cash: float, held: float, lo: int, hi: int, low: float,
    bounds: I64, part: int, sums: F64,
) -> int:  # fmt: skip
    """Add the returns of bars lo..hi-1 held at (cash, held) to their partitions' sums, from the
    prefix sums when the cash is negligible beside the position (low: the lowest close of bars
    lo - 1..hi - 1); returns the partition of the last one."""
    u = cash / held
    o1 = _cash_negligible_nb(u, low)
    while lo < hi:
        while bounds[part + 1] <= lo - 1:
            part += 1
        end = min(hi, bounds[part + 1] + 1)
        if o1:
            s1, s2, s3, s4, down = _moment_sums_nb(moments, u, lo, end)
        else:
            s1, s2, s3, s4, down = _held_sums_nb(close, cash, held, lo, end)
        sums[part, 0] += s1
        sums[part, 1] += s2
        sums[part, 2] += s3
        sums[part, 3] += s4
        sums[part, 4] += down
        lo = end
    return part


@njit(cache=True, inline="always")
def _add_return_nb(x: float, part: int, sums: F64) -> None:
    xx = x * x
    sums[part, 0] += x
    sums[part, 1] += xx
    sums[part, 2] += xx * x
    sums[part, 3] += xx * xx
    m = min(x, 0.0)
    sums[part, 4] += m * m


@_no_refcounts
def single_stats_nb(
    n_events: int, ev_bar: I64, ev_target: F64, open_: F64, close: F64, initial_cash: float,
    cost: FillCosts, rules: KernelRules, bounds: I64, ppy: float, ranges: tuple[F64, I64],
    moments: F64, sums: F64, out: F64,
) -> bool:  # fmt: skip
    """_run_single_nb then sweep_stats.curve_stats_nb into `out`, in one pass over the trades.

    ev_bar, ev_target: the trading bars and targets (events_nb); ranges: close_ranges_nb(close);
    moments: held_moments_nb(close); sums: (partitions, N_SUMS) scratch. Returns False, with
    `out` not filled, when the equity reaches <= 0 at some close (the caller runs that
    combination on its curve).
    """
    n = close.shape[0]
    table, log2 = ranges
    sums[:] = 0.0
    cash, held, trades = initial_cash, 0.0, 0
    prev = initial_cash  # the equity at the last close (the initial cash before bar 0)
    peak, low_ratio, lowest = initial_cash, 1.0, initial_cash
    r0 = 0.0
    part = 0  # the partition of return t - 1 (bar t's)
    k = 0
    a = 0
    while a < n:  # a: the first bar of a stretch with fixed cash and position
        if k < n_events and ev_bar[k] == a:
            ref = open_[a] if rules.fill_at_open else close[a]
            cash, held, opened = rebalance_one_nb(ev_target[k], ref, cash, held, cost, rules)
            trades += opened
            k += 1
        b = ev_bar[k] if k < n_events else n
        equity = cash + held * close[a]  # the trade on bar a may have moved it: bar by bar
        if a == 0:
            r0 = equity / initial_cash - 1.0
        else:
            while bounds[part + 1] <= a - 1:
                part += 1
            _add_return_nb(equity / prev - 1.0, part, sums)
        peak, low_ratio = _drawdown_nb(equity, peak, low_ratio)
        lowest = min(lowest, equity)
        if held != 0.0 and a + 1 < b:  # flat bars: equity unchanged, returns exactly 0
            c_low, c_high = _close_range_nb(table, log2, a + 1, b)
            lowest = min(lowest, cash + held * (c_low if held > 0.0 else c_high))
            peak, low_ratio = _held_drawdown_nb(
                close, ranges, cash, held, a + 1, b, c_low, c_high, peak, low_ratio
            )
            low = min(c_low, close[a])  # the stretch's returns' closes: bars a..b-1
            part = _add_held_nb(close, moments, cash, held, a + 1, b, low, bounds, part, sums)
        prev = cash + held * close[b - 1]
        a = b
    if lowest <= 0.0:
        return False
    s1 = s2 = s3 = s4 = down = 0.0  # partition by partition, as curve_stats_nb adds them
    for p in range(sums.shape[0]):
        out[N_FIGURES + 2 * p] = sums[p, 0]
        out[N_FIGURES + 2 * p + 1] = sums[p, 1]
        s1 += sums[p, 0]
        s2 += sums[p, 1]
        s3 += sums[p, 2]
        s4 += sums[p, 3]
        down += sums[p, 4]
    sums_all = (s1, s2, s3, s4, down)
    figures_nb(n, prev, r0, sums_all, initial_cash, ppy, 1.0 - low_ratio, trades, out)
    return True
