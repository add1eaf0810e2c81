"""The fused sweep kernel: a built-in strategy's signals, its backtest and its report figures,
per combination in one pass, in parallel, keeping no return series.

It runs what simulate() runs for weight targets that change only when the strategy's signal
does (rebalance "on_change"), without stops, volume cap, range or impact slippage, or
close_at_end, on bars with every price present: the same sizing, cutting and cost helpers
(shared.sim.execution), the same order of fills (orders that shrink a position first), the
same valuation. Each combination's row holds shared.sim.sweep_stats.FIGURES and its CSCV
partition sums; a row with `ruined` set (equity <= 0 at some close) is not final: the
caller runs that combination through simulate() instead.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from numba import njit, prange

from shared.sim import enums as en
from shared.sim.execution import cut_order_nb, fill_terms_nb, negligible_nb, want_nb
from shared.sim.kernel_args import FillCosts, KernelRules
from shared.sim.sweep_single import (
    N_SUMS,
    close_ranges_nb,
    events_nb,
    first_bars_nb,
    held_moments_nb,
    rebalance_one_nb,
    single_stats_nb,
    sma_events_nb,
    sma_signal_nb,
)
from shared.sim.sweep_stats import N_STATS, RUINED, curve_stats_nb

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

SMA_CROSS = 0  # params: fast row, slow row (rows of `ind`: moving averages)
RSI_REVERSION = 1  # params: period row (a row of `ind`: RSI), lower, upper, exit
BLOCK = 64  # combinations per scratch allocation


@njit(cache=True, inline="always")
def _signal_nb(
    kind: int, first: F64, second: F64, prm: F64, state: F64, dec: int, j: int, short: bool
) -> float:
    """The strategy's signal (+1, -1, 0) at bar `dec` for column j (builtin.py's rules)."""
    if kind == SMA_CROSS:
        fast = first[dec, j]
        slow = second[dec, j]
        if math.isnan(slow):  # no opinion before the slow average exists
            return 0.0
        if fast > slow:
            return 1.0
        return -1.0 if short and fast < slow else 0.0
    value = first[dec, j]  # RSI: a state that each bar may switch
    s = state[j]
    if not math.isnan(value):
        if s == 0.0 and value < prm[1]:
            s = 1.0
        elif s == 0.0 and short and value > prm[2]:
            s = -1.0
        elif (s == 1.0 and value >= prm[3]) or (s == -1.0 and value <= prm[3]):
            s = 0.0
        state[j] = s
    return s


@njit(cache=True, inline="always")
def _reducing_nb(before: float, after: float) -> bool:
    return after == 0.0 or (after * before > 0.0 and abs(after) < abs(before))


@njit(cache=True)
def _trade_nb(
    ref: F64, todo: I64, n_todo: int, tgt: F64, pos: F64, cash: F64, col_acc: I64,
    acc_ptr: I64, cost: FillCosts, rules: KernelRules, want: F64, go: I64,
) -> int:  # fmt: skip
    """simulate()'s order phase for the columns in todo, at prices `ref`; returns trades opened."""
    n_go = 0
    n_acc = cash.shape[0]
    for k in range(n_todo):
        j = todo[k]
        a = col_acc[j]
        equity = cash[a]  # the account's value at the phase's prices (_value_nb's order)
        for m in range(acc_ptr[a], acc_ptr[a + 1]):
            if pos[m] != 0.0:
                equity += pos[m] * ref[m]
        w = want_nb(tgt[j], ref[j], equity, en.SIZE_WEIGHT, rules.whole)
        if math.isnan(w):  # no equity to size a weight against: the account is ruined
            continue
        if w < 0.0 and not rules.allow_short:
            w = 0.0
        if negligible_nb(w, pos[j]):
            continue
        want[j] = w
        go[n_go] = j
        n_go += 1
    opened = 0
    for a in range(n_acc):
        if n_go == 0:
            break
        equity = cash[a]
        gross = 0.0
        for m in range(acc_ptr[a], acc_ptr[a + 1]):
            if pos[m] != 0.0:
                equity += pos[m] * ref[m]
                gross += abs(pos[m]) * ref[m]
        for stage in range(2):  # orders that shrink a position free cash for the others
            for k in range(n_go):
                j = go[k]
                if col_acc[j] != a or _reducing_nb(pos[j], want[j]) != (stage == 0):
                    continue
                before = pos[j]
                after, _, _ = cut_order_nb(
                    before, want[j], en.REASON_NONE, ref[j], cost.base, np.nan, equity, gross,
                    cost, rules,
                )  # fmt: skip
                qty = after - before
                if qty == 0.0:
                    continue
                price, fee, _ = fill_terms_nb(qty, ref[j], cost.base, np.nan, cost)
                cash[a] -= qty * price + fee
                equity -= qty * (price - ref[j]) + fee
                gross += (abs(after) - abs(before)) * ref[j]
                pos[j] = after
                if before == 0.0 or before * after < 0.0:
                    opened += 1
    return opened


@njit(cache=True, error_model="numpy")
def _signals_one_nb(kind: int, first: F64, second: F64, prm: F64, short: bool, sig: F64) -> None:
    """Every bar's signal of a one-symbol run, before the backtest (no branch for SMA)."""
    if kind == SMA_CROSS:
        for d in range(sig.shape[0]):
            sig[d] = sma_signal_nb(first[d, 0], second[d, 0], short)
        return
    state = np.zeros(1)
    for d in range(sig.shape[0]):
        sig[d] = _signal_nb(kind, first, second, prm, state, d, 0, short)


@njit(cache=True, error_model="numpy")
def _run_single_nb(
    sig: F64, open_: F64, close: F64, weight: float, cash: float, cost: FillCosts,
    rules: KernelRules, eq: F64,
) -> tuple[float, int, bool]:  # fmt: skip
    """_run_one_nb for one symbol (1-D prices) with its signals computed: the hot loop."""
    held, last, trades = 0.0, 0.0, 0
    peak, trough, worst = cash, cash, 0.0
    ruined = False
    lag = rules.lag
    for t in range(close.shape[0]):
        if t >= lag:
            target = sig[t - lag] * weight
            if target != last:
                last = target
                ref = open_[t] if rules.fill_at_open else close[t]
                cash, held, opened = rebalance_one_nb(target, ref, cash, held, cost, rules)
                trades += opened
        equity = cash + held * close[t]
        eq[t] = equity
        ruined |= equity <= 0.0
        if equity > peak:
            if trough < peak:
                worst = max(worst, 1.0 - trough / peak)
            peak = equity
            trough = equity
        elif equity < trough:
            trough = equity
    if trough < peak:
        worst = max(worst, 1.0 - trough / peak)
    return worst, trades, ruined


@njit(cache=True, error_model="numpy")
def _run_one_nb(
    kind: int, prm: F64, open_: F64, close: F64, ind: F64, weight: float, col_acc: I64,
    acc_ptr: I64, acc_cash: F64, cost: FillCosts, rules: KernelRules, initial_cash: float,
    eq: F64, scratch: F64, iscratch: I64,
) -> tuple[float, int, bool]:  # fmt: skip
    """Backtest one combination into `eq`; returns (max drawdown, trades, ruined)."""
    n_bars, n_cols = close.shape
    pos, last, tgt, want, state = scratch[0], scratch[1], scratch[2], scratch[3], scratch[4]
    todo, go = iscratch[0], iscratch[1]
    cash = scratch[5, : acc_cash.shape[0]]
    for j in range(n_cols):
        pos[j] = 0.0
        last[j] = 0.0
        state[j] = 0.0
    for a in range(acc_cash.shape[0]):
        cash[a] = acc_cash[a]
    short = rules.allow_short
    first = ind[int(prm[0])]
    second = ind[int(prm[1])] if kind == SMA_CROSS else first
    if n_cols == 1 and acc_cash.shape[0] == 1:
        sig = scratch[6]
        _signals_one_nb(kind, first, second, prm, short, sig)
        return _run_single_nb(sig, open_[:, 0], close[:, 0], weight, acc_cash[0], cost, rules, eq)
    trades = 0
    # drawdown: the lowest equity since the last peak, divided out only when a new peak ends it
    peak = initial_cash
    trough = initial_cash
    worst = 0.0
    ruined = False
    for t in range(n_bars):
        dec = t - rules.lag
        if dec >= 0:
            n_todo = 0
            for j in range(n_cols):
                target = _signal_nb(kind, first, second, prm, state, dec, j, short) * weight
                if target != last[j]:
                    last[j] = target
                    tgt[j] = target
                    todo[n_todo] = j
                    n_todo += 1
            if n_todo > 0:
                ref = open_[t] if rules.fill_at_open else close[t]
                trades += _trade_nb(
                    ref, todo, n_todo, tgt, pos, cash, col_acc, acc_ptr, cost, rules, want, go
                )
        value = 0.0  # simulate_nb's marking at the close
        for j in range(n_cols):
            if pos[j] != 0.0:
                value += pos[j] * close[t, j]
        total = 0.0
        for a in range(cash.shape[0]):
            total += cash[a]
        equity = total + value
        eq[t] = equity
        if equity <= 0.0:
            ruined = True
        if equity > peak:
            if trough < peak:
                worst = max(worst, 1.0 - trough / peak)
            peak = equity
            trough = equity
        elif equity < trough:
            trough = equity
    if trough < peak:
        worst = max(worst, 1.0 - trough / peak)
    return worst, trades, ruined


@njit(cache=True)
def _rows_nb(
    lo: int, hi: int, kind: int, params: F64, open_: F64, close: F64, ind: F64, weight: float,
    col_acc: I64, acc_ptr: I64, acc_cash: F64, cost: FillCosts, rules: KernelRules,
    initial_cash: float, ppy: float, bounds: I64, ranges: tuple[F64, I64], moments: F64,
    starts: I64, out: F64,
) -> None:  # fmt: skip
    """Stats rows lo..hi-1 into `out`, with one set of scratch arrays; `ranges`, `moments` and
    `starts` are _ranges_nb(close), _moments_nb(close) and _starts_nb(ind)."""
    n_bars, n_cols = close.shape
    eq = np.empty(n_bars)
    scratch = np.zeros((7, max(n_cols, acc_cash.shape[0], n_bars)))
    iscratch = np.zeros((2, n_cols), dtype=np.int64)
    single = n_cols == 1 and acc_cash.shape[0] == 1
    sig, ev_target = np.empty(n_bars), np.empty(n_bars)
    ev_bar = np.empty(n_bars, dtype=np.int64)
    changed = np.zeros((n_bars + 63) // 64 * 64, dtype=np.uint8)
    codes = np.zeros(n_bars, dtype=np.int8)
    sums = np.zeros((bounds.shape[0] - 1, N_SUMS))
    open_1, close_1 = np.ascontiguousarray(open_[:, 0]), np.ascontiguousarray(close[:, 0])
    # one symbol: each indicator row is a contiguous 1-D series (the scan's loads vectorise)
    rows_1 = ind.reshape((ind.shape[0], n_bars * n_cols))
    for k in range(lo, hi):
        row = out[k]
        if single:  # the one-pass path; a combination it leaves (ruined) takes the curve below
            prm = params[k]
            first = ind[int(prm[0])]
            if kind == SMA_CROSS:
                f_row, s_row = int(prm[0]), int(prm[1])
                n_events = sma_events_nb(
                    rows_1[f_row], rows_1[s_row], rules.allow_short, weight, rules.lag, ev_bar,
                    ev_target, changed, codes, max(starts[f_row], starts[s_row]),
                )  # fmt: skip
            else:
                _signals_one_nb(kind, first, first, prm, rules.allow_short, sig)
                n_events = events_nb(sig, weight, rules.lag, ev_bar, ev_target)
            if single_stats_nb(
                n_events, ev_bar, ev_target, open_1, close_1, acc_cash[0], cost, rules, bounds,
                ppy, ranges, moments, sums, row,
            ):  # fmt: skip
                row[RUINED] = 0.0
                continue
        worst, trades, ruined = _run_one_nb(
            kind, params[k], open_, close, ind, weight, col_acc, acc_ptr, acc_cash, cost,
            rules, initial_cash, eq, scratch, iscratch,
        )  # fmt: skip
        curve_stats_nb(eq, bounds, initial_cash, ppy, worst, trades, row)
        row[RUINED] = 1.0 if ruined else 0.0


@njit(cache=True)
def _ranges_nb(close: F64) -> tuple[F64, I64]:
    """sweep_single.close_ranges_nb of a one-symbol close (of no bars for more symbols)."""
    return close_ranges_nb(
        np.ascontiguousarray(close[:, 0] if close.shape[1] == 1 else close[:0, 0])
    )


@njit(cache=True)
def _moments_nb(close: F64) -> F64:
    """sweep_single.held_moments_nb of a one-symbol close (of no bars for more symbols)."""
    return held_moments_nb(
        np.ascontiguousarray(close[:, 0] if close.shape[1] == 1 else close[:0, 0])
    )


@njit(cache=True)
def _starts_nb(ind: F64) -> I64:
    """sweep_single.first_bars_nb of a one-symbol indicator table (zeros for more symbols)."""
    if ind.shape[2] != 1:
        return np.zeros(ind.shape[0], dtype=np.int64)
    return first_bars_nb(ind.reshape((ind.shape[0], ind.shape[1])))


@njit(cache=True)
def account_ptr_nb(col_acc: I64, n_acc: int) -> I64:
    """Account a owns columns ptr[a]:ptr[a + 1] (shared: all; per asset: its own)."""
    ptr = np.zeros(n_acc + 1, dtype=np.int64)
    for j in range(col_acc.shape[0]):
        ptr[col_acc[j] + 1] = j + 1
    for a in range(n_acc):
        ptr[a + 1] = max(ptr[a + 1], ptr[a])
    return ptr


@njit(parallel=True, cache=True)
def fused_sweep_nb(
    kind: int, params: F64, open_: F64, close: F64, ind: F64, weight: float, col_acc: I64,
    acc_cash: F64, cost: FillCosts, rules: KernelRules, initial_cash: float, ppy: float,
    bounds: I64,
) -> F64:  # fmt: skip
    """One stats row (sweep_stats layout) per row of `params`, blocks of them in parallel."""
    n = params.shape[0]
    acc_ptr = account_ptr_nb(col_acc, acc_cash.shape[0])
    out = np.empty((n, N_STATS))
    ranges = _ranges_nb(close)
    moments = _moments_nb(close)
    starts = _starts_nb(ind)
    for b in prange((n + BLOCK - 1) // BLOCK):
        _rows_nb(
            b * BLOCK, min(n, (b + 1) * BLOCK), kind, params, open_, close, ind, weight,
            col_acc, acc_ptr, acc_cash, cost, rules, initial_cash, ppy, bounds, ranges,
            moments, starts, out,
        )  # fmt: skip
    return out


@njit(cache=True)
def fused_sweep_serial_nb(
    kind: int, params: F64, open_: F64, close: F64, ind: F64, weight: float, col_acc: I64,
    acc_cash: F64, cost: FillCosts, rules: KernelRules, initial_cash: float, ppy: float,
    bounds: I64,
) -> F64:  # fmt: skip
    """fused_sweep_nb on the calling thread only: for worker processes that fork (Celery's
    prefork pool), where an OpenMP thread pool is not safe and the workers are the parallelism."""
    n = params.shape[0]
    out = np.empty((n, N_STATS))
    _rows_nb(
        0, n, kind, params, open_, close, ind, weight, col_acc,
        account_ptr_nb(col_acc, acc_cash.shape[0]), acc_cash, cost, rules, initial_cash, ppy,
        bounds, _ranges_nb(close), _moments_nb(close), _starts_nb(ind), out,
    )  # fmt: skip
    return out
