"""The batched environment kernels: every copy steps (or resets) in one numba call.

Each copy's state is one row of `fs` (float64) and one of `ist` (int64), laid out by
``_views_nb``; its order and trade records are rows of 2-D record arrays sized so that the
engine's functions never need to grow them. A step turns the copy's action into target weights
at its decision bar t, runs the engine up to the next decision (``shared.rl.bar``), and writes
the reward, the outcome and the next observation.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt
from numba import njit

from shared.rl.bar import compact_trades_nb, run_bar_nb
from shared.rl.config import EnvRules
from shared.sim.enums import STATUS_REJECTED
from shared.sim.kernel_args import FillCosts, KernelRules

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
I8 = npt.NDArray[np.int8]
Records = npt.NDArray[np.void]

# outcome of a step, per copy
RUNNING, RUINED, WINDOW_END, BAD_ACTION, OVER = 0, 1, 2, -1, -2
# out[:, k]: what a step reports besides the observation
OUT_REWARD, OUT_EQUITY, OUT_VALUE, OUT_TURNOVER, OUT_DRAWDOWN, OUT_BAR = range(6)
N_OUT = 6
# a ruined step's reward is floored at log(RUIN_FLOOR), not -inf
RUIN_FLOOR = 1e-6
# the bars-in-position input saturates at this many bars (a year of daily bars)
HELD_SCALE = 252.0
N_F_SCALARS, N_I_SCALARS = 4, 5


def state_widths(n_cols: int, n_acc: int) -> tuple[int, int]:
    """Columns of `fs` and `ist` for this many symbols and accounts."""
    return 6 * n_cols + 3 * n_acc + N_F_SCALARS, 6 * n_cols + n_acc + N_I_SCALARS


def record_capacity(n_cols: int) -> int:
    """Records per copy so that the engine never grows a buffer within a step.

    After compaction at most n_cols trades are open; a step adds at most n_cols (one order
    phase), and the engine asks for n_cols more of room before stops and closing at the end.
    Orders are cleared every step and a step places at most 3 x n_cols of them.
    """
    return 4 * n_cols + 4


@njit(cache=True, inline="always")
def _views_nb(fs: F64, ist: I64, n: int, a: int) -> tuple[Any, ...]:
    cols = (fs[0:n], fs[n : 2 * n], fs[2 * n : 3 * n], fs[3 * n : 4 * n], fs[4 * n : 5 * n],
            fs[5 * n : 6 * n])  # fmt: skip  # pos, last_tgt, carry, mark, want, req
    f0 = 6 * n
    accts = (fs[f0 : f0 + a], fs[f0 + a : f0 + 2 * a], fs[f0 + 2 * a : f0 + 3 * a])
    work = (ist[0:n], ist[n : 2 * n], ist[2 * n : 3 * n], ist[3 * n : 4 * n],
            ist[4 * n : 5 * n])  # fmt: skip  # open_trade, todo, seq, origin, note
    held = ist[5 * n : 6 * n]
    valued = ist[6 * n : 6 * n + a]
    return cols, accts, work, held, valued, f0 + 3 * a, 6 * n + a


# scalar slots, after the arrays: fs[fb + k], ist[ib + k]
F_VALUE, F_PEAK, F_RETURN, F_EQUITY = range(N_F_SCALARS)
I_START, I_T, I_LEN, I_NTR, I_STEPS = range(N_I_SCALARS)


def pack_params(cost: FillCosts, rules: KernelRules, env: EnvRules) -> F64:
    """The three scalar tuples as one float64 array: numba unboxes an array far faster than
    NamedTuples (about 0.1 us against 1 us each), which counts on every step."""
    return np.array([float(v) for v in (*cost, *rules, *env)], dtype=np.float64)


@njit(cache=True, inline="always")
def _unpack_nb(p: F64) -> tuple[FillCosts, KernelRules, EnvRules]:
    """pack_params, undone: field by field, in the NamedTuples' order and types."""
    cost = FillCosts(p[0], p[1], p[2], p[3], p[4], p[5], p[6])
    rules = KernelRules(
        p[7] != 0.0, int(p[8]), int(p[9]), p[10] != 0.0, p[11] != 0.0, p[12], int(p[13]),
        p[14], p[15], p[16] != 0.0, p[17], p[18], p[19] != 0.0,
    )  # fmt: skip
    env = EnvRules(p[20] != 0.0, p[21] != 0.0, p[22], p[23], p[24] != 0.0, p[25] != 0.0, p[26],
                   p[27])  # fmt: skip
    return cost, rules, env


@njit(cache=True, inline="always")
def _value_nb(close_row: F64, pos: F64, cash: F64) -> float:
    """Account value at this close, before the orders due on it."""
    value = cash.sum()
    for j in range(pos.shape[0]):
        if pos[j] != 0.0:
            value += pos[j] * close_row[j]
    return value


@njit(cache=True, inline="always")
def _observe_nb(
    obs: F32, feats_row: F32, close_row: F64, pos: F64, cash: F64, held: I64, value: float
) -> None:
    """Features at the decision bar, then position weights, the cash weight, bars held."""
    k = feats_row.shape[0]
    n = pos.shape[0]
    obs[:k] = feats_row
    live = value > 0.0
    for j in range(n):
        obs[k + j] = pos[j] * close_row[j] / value if live else 0.0
        obs[k + n + 1 + j] = min(abs(held[j]), HELD_SCALE) / HELD_SCALE
    obs[k + n] = cash.sum() / value if live else 0.0


@njit(cache=True, inline="always")
def _targets_nb(action: npt.NDArray[Any], row: F64, env: EnvRules) -> bool:
    """The action as target weights in `row`; False when it is out of its space."""
    n = row.shape[0]
    if env.discrete:
        top = 2 if env.allow_short else 1
        for j in range(n):
            a = action[j]
            if a < 0 or a > top:
                return False
            row[j] = ((a - 1) if env.allow_short else a) * env.unit
        return True
    low = -1.0 if env.allow_short else 0.0
    gross = 0.0
    for j in range(n):
        w = float(action[j])
        if not math.isfinite(w):
            return False
        w = min(max(w, low), 1.0) * env.gross
        row[j] = w
        gross += abs(w)
    if not env.per_asset and gross > env.gross:
        scale = env.gross / gross  # shared cash: sum |w| capped at position_size
        for j in range(n):
            row[j] *= scale
    return True


@njit(cache=True)
def step_nb(
    prices: F64, feats: F32, fs: F64, ist: I64, orders: Records, trades: Records, targets: F64,
    actions: npt.NDArray[Any], accmap: I64, params: F64, obs: F32, out: F64, status: I8,
    rewards: F32, dones: npt.NDArray[np.bool_],
) -> int:  # fmt: skip
    """Step every copy with its action (a row of `actions`); returns how many copies finished
    their episode, or -1 when a copy could not step (its status says why)."""
    cost, rules, env = _unpack_nb(params)
    n = prices.shape[2]
    n_done = 0
    a = 1 if not env.per_asset else n
    static = (accmap[0, :n], accmap[1, : a + 1], accmap[2, :n])
    fb, ib = 6 * n + 3 * a, 6 * n + a  # the scalar slots, where _views_nb puts them
    for i in range(fs.shape[0]):
        fr, ir = fs[i], ist[i]  # the copy's state rows; the engine's views only where it runs
        start, t, length = ir[ib + I_START], ir[ib + I_T], ir[ib + I_LEN]
        last = length if env.split else length - 1
        if t >= last:  # a finished episode must be reset first (and t would overrun targets)
            status[i] = OVER
            n_done = -1
            continue
        if not _targets_nb(actions[i], targets[i, t], env):
            status[i] = BAD_ACTION
            n_done = -1
            continue
        n_tr = compact_trades_nb(trades[i], ir[0:n], ir[ib + I_NTR])
        tgt, rec_o, rec_t = targets[i], orders[i], trades[i]
        # one call site, so that the inlined bar is compiled once: filled at t's close, the step
        # finishes bar t (part 0), then runs bar t + 1 up to its close (part 1); filled at the
        # next open, it runs all of bar t + 1
        bar_done = t if env.split else t + 1
        parts = 2 if env.split and t + 1 < length else 1
        n_o, equity = 0, np.nan
        for part in range(parts):
            n_o, n_tr, marked = run_bar_nb(
                bar_done + part, part == 1 or not env.split, part == 0, prices, start, length,
                tgt, static, cost, rules, fr, ir, n, a, rec_o, n_o, rec_t, n_tr,
            )  # fmt: skip
            if part == 0:
                equity = marked
        t += 1
        ir[ib + I_T] = t
        ir[ib + I_NTR] = n_tr
        ir[ib + I_STEPS] += 1
        pos, cash, held = fr[0:n], fr[6 * n : 6 * n + a], ir[5 * n : 6 * n]
        value = (
            equity if t >= length or not env.split else _value_nb(prices[3, start + t], pos, cash)
        )
        _settle_nb(i, fr, fb, value, equity, bar_done, rec_o, n_o, env, out)
        _update_held_nb(pos, held)
        status[i] = RUINED if value <= 0.0 else (WINDOW_END if t >= last else RUNNING)
        rewards[i] = out[i, OUT_REWARD]
        dones[i] = status[i] != RUNNING
        if dones[i] and n_done >= 0:
            n_done += 1
        bar = min(t, length - 1)
        _observe_nb(obs[i], feats[start + bar], prices[3, start + bar], pos, cash, held, value)
    return n_done


@njit(cache=True, inline="always")
def _settle_nb(
    i: int, fs: F64, fb: int, value: float, equity: float, bar_done: int, orders: Records,
    n_o: int, env: EnvRules, out: F64,
) -> None:  # fmt: skip
    """The step's reward (docs/rl.md): log growth of the account, minus the penalties."""
    before = fs[fb + F_VALUE]
    traded = 0.0
    for k in range(n_o):
        if orders[k]["status"] != STATUS_REJECTED:
            traded += abs(orders[k]["filled"]) * orders[k]["ref_price"]
    turnover = traded / before
    peak = max(fs[fb + F_PEAK], value)
    drawdown = (peak - value) / peak
    reward = math.log(max(value, RUIN_FLOOR * before) / before)
    reward -= env.dd_coef * drawdown + env.to_coef * turnover
    fs[fb + F_VALUE] = value
    fs[fb + F_PEAK] = peak
    fs[fb + F_RETURN] += reward
    fs[fb + F_EQUITY] = equity
    out[i, OUT_REWARD] = reward
    out[i, OUT_EQUITY] = equity
    out[i, OUT_VALUE] = value
    out[i, OUT_TURNOVER] = turnover
    out[i, OUT_DRAWDOWN] = drawdown
    out[i, OUT_BAR] = bar_done


@njit(cache=True, inline="always")
def _update_held_nb(pos: F64, held: I64) -> None:
    """Signed count of steps the current position's side has been held (0 when flat)."""
    for j in range(pos.shape[0]):
        side = 1 if pos[j] > 0.0 else (-1 if pos[j] < 0.0 else 0)
        if side == 0:
            held[j] = 0
        elif side * held[j] > 0:
            held[j] += side
        else:
            held[j] = side


@njit(cache=True)
def reset_nb(
    prices: F64, feats: F32, fs: F64, ist: I64, orders: Records, trades: Records, targets: F64,
    accmap: I64, acc_cash: F64, params: F64, which: I64, starts: I64, length: int, obs: F32,
    out: F64, status: I8,
) -> None:  # fmt: skip
    """Start a fresh episode for copies `which` at window starts `starts`, `length` bars long."""
    cost, rules, env = _unpack_nb(params)
    n = prices.shape[2]
    a = 1 if not env.per_asset else n
    static = (accmap[0, :n], accmap[1, : a + 1], accmap[2, :n])
    for k in range(which.shape[0]):
        i = which[k]
        start = starts[k]
        fs[i, :] = 0.0
        ist[i, :] = 0
        cols, accts, work, held, valued, fb, ib = _views_nb(fs[i], ist[i], n, a)
        cols[2][:] = np.nan  # carry
        cols[3][:] = np.nan  # mark
        accts[0][:] = acc_cash
        work[0][:] = -1  # open_trade
        valued[:] = -1
        targets[i, :length] = np.nan
        ist[i, ib + I_START] = start
        ist[i, ib + I_LEN] = length
        # bar 0 up to the first decision: nothing is due yet, but the engine marks it
        _, n_tr, equity = run_bar_nb(
            0, True, not env.split, prices, start, length, targets[i], static, cost, rules,
            fs[i], ist[i], n, a, orders[i], 0, trades[i], 0,
        )  # fmt: skip
        ist[i, ib + I_NTR] = n_tr
        value = _value_nb(prices[3, start], cols[0], accts[0]) if env.split else equity
        fs[i, fb + F_VALUE] = value
        fs[i, fb + F_PEAK] = value
        fs[i, fb + F_EQUITY] = equity
        out[i, :] = 0.0
        out[i, OUT_EQUITY] = equity
        out[i, OUT_VALUE] = value
        out[i, OUT_BAR] = 0
        status[i] = RUNNING
        _observe_nb(obs[i], feats[start], prices[3, start], cols[0], accts[0], held, value)
