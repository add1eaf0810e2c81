"""A slow, plain-Python simulator written from docs/simulation.md, not from the kernels.

It recomputes every account value from scratch at each step, finds the affordable size by
bisection on the post-trade balance sheet (the kernel solves it in closed form), and keeps
trades as objects. Only the rules are shared with the engine, never the code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

NAN = float("nan")


@dataclass
class Params:
    initial_cash: float = 100_000.0
    rate: float = 0.0
    per_share: float = 0.0
    min_fee: float = 0.0
    fixed: float = 0.0
    bps: float = 0.0
    spread_bps: float = 0.0
    range_frac: float = 0.0
    impact: float = 0.0
    fill: str = "next_open"
    delay: int = 0
    size_type: str = "weight"
    whole_shares: bool = False
    allow_short: bool = True
    max_leverage: float = 1.0
    rebalance: str | float = "on_change"
    stop_loss: float | None = None
    take_profit: float | None = None
    volume_cap: float | None = None
    carry: bool = True
    cash: str = "shared"
    close_at_end: bool = False


@dataclass
class Trade:
    col: int
    direction: int
    entry_bar: int
    entry_qty: float = 0.0
    entry_value: float = 0.0
    exit_qty: float = 0.0
    exit_value: float = 0.0
    fees: float = 0.0
    slippage: float = 0.0
    exit_bar: int = -1
    open_qty: float = 0.0
    mark_price: float = NAN


@dataclass
class Order:
    col: int
    bar: int
    decision_bar: int
    origin: str
    status: str
    reason: str
    requested: float
    filled: float
    price: float
    fees: float
    slippage: float
    position: float


@dataclass
class Outcome:
    equity: list[float] = field(default_factory=list)
    cash: list[float] = field(default_factory=list)
    orders: list[Order] = field(default_factory=list)
    trades: list[Trade] = field(default_factory=list)


def finite(x: float) -> bool:
    return not (math.isnan(x) or math.isinf(x))


def whole(q: float) -> float:
    return math.floor(q + 1e-9) if q >= 0 else -math.floor(-q + 1e-9)


class Reference:
    def __init__(self, o, h, lo, c, v, targets, p: Params) -> None:
        self.o, self.h, self.l, self.c, self.v, self.tg, self.p = o, h, lo, c, v, targets, p
        self.n_bars, self.n_cols = len(c), len(c[0])
        n = self.n_cols
        self.account = [0] * n if p.cash == "shared" else list(range(n))
        n_acc = 1 if p.cash == "shared" else n
        self.balance = [p.initial_cash / n_acc] * n_acc
        self.qty = [0.0] * n
        self.last = [0.0] * n
        self.carry: list[float | None] = [None] * n
        self.mark = [NAN] * n
        self.trade: list[Trade | None] = [None] * n
        self.ruined = [False] * n_acc
        self.out = Outcome()
        self.lag = (1 if p.fill == "next_open" else 0) + p.delay

    # --- costs -----------------------------------------------------------------
    def base(self, bar: int, j: int) -> float:
        b = self.p.bps / 1e4 + self.p.spread_bps / 2e4
        if self.p.range_frac > 0 and bar >= 0:
            r = (self.h[bar][j] - self.l[bar][j]) / self.c[bar][j]
            if finite(r) and r > 0:
                b += self.p.range_frac * r
        return b

    def frac(self, base: float, qty: float, vol: float) -> float:
        if self.p.impact <= 0 or not finite(vol):
            return base
        share = min(qty / vol, 1.0) if vol > 0 else 1.0
        return base + self.p.impact * share**2

    def fee(self, qty: float, price: float) -> float:
        if qty == 0:
            return 0.0
        p = self.p
        return p.fixed + max(p.rate * qty * price + p.per_share * qty, p.min_fee)

    # --- the balance sheet ---------------------------------------------------------
    def value(self, acc: int, prices: list[float]) -> tuple[float, float]:
        """(equity, gross) of an account with positions valued at `prices`."""
        eq, gross = self.balance[acc], 0.0
        for j in range(self.n_cols):
            if self.account[j] == acc and self.qty[j] != 0:
                eq += self.qty[j] * prices[j]
                gross += abs(self.qty[j]) * prices[j]
        return eq, gross

    def affordable(self, j, new_qty, ref, base, vol, prices) -> bool:
        if self.p.max_leverage == math.inf:
            return True
        acc = self.account[j]
        eq, gross = self.value(acc, prices)
        d = new_qty - self.qty[j]
        f = self.frac(base, abs(d), vol)
        price = ref * (1 + f) if d > 0 else ref * (1 - f)
        eq_after = eq - d * price - self.fee(abs(d), price) + d * ref
        gross_after = gross + (abs(new_qty) - abs(self.qty[j])) * ref
        return gross_after <= self.p.max_leverage * eq_after

    def largest(self, j, side, lo, hi, ref, base, vol, prices) -> float:
        if self.affordable(j, side * hi, ref, base, vol, prices):
            return hi
        if not self.affordable(j, side * lo, ref, base, vol, prices) and lo > 0:
            return lo
        a, b = lo, hi
        for _ in range(300):
            m = (a + b) / 2
            if m <= a or m >= b:
                break
            if self.affordable(j, side * m, ref, base, vol, prices):
                a = m
            else:
                b = m
        return a

    # --- fills and trades ----------------------------------------------------------
    def fill(self, j, bar, new_qty, ref, base, vol) -> tuple[float, float, float]:
        d = new_qty - self.qty[j]
        f = self.frac(base, abs(d), vol)
        price = ref * (1 + f) if d > 0 else ref * (1 - f)
        fee = self.fee(abs(d), price)
        slip = abs(d) * ref * f
        self.balance[self.account[j]] -= d * price + fee
        self.book(j, bar, self.qty[j], new_qty, price, fee, slip)
        self.qty[j] = new_qty
        self.mark[j] = ref
        return price, fee, slip

    def book(self, j, bar, old, new, price, fee, slip) -> None:
        t = self.trade[j]
        if old == 0:
            self.open(j, bar, new, abs(new), price, fee, slip)
            return
        assert t is not None
        if old * new > 0 and abs(new) > abs(old):
            t.entry_qty += abs(new) - abs(old)
            t.entry_value += (abs(new) - abs(old)) * price
            t.fees += fee
            t.slippage += slip
            return
        traded = abs(new - old)
        closing = min(abs(old), traded)
        t.exit_qty += closing
        t.exit_value += closing * price
        t.fees += fee * closing / traded
        t.slippage += slip * closing / traded
        if old * new > 0:
            return
        t.exit_bar = bar
        self.trade[j] = None
        if new != 0:
            rest = (traded - closing) / traded
            self.open(j, bar, new, abs(new), price, fee * rest, slip * rest)

    def open(self, j, bar, new, size, price, fee, slip) -> None:
        t = Trade(j, 1 if new > 0 else -1, bar, size, size * price, fees=fee, slippage=slip)
        self.out.trades.append(t)
        self.trade[j] = t

    def record(self, j, bar, dec, origin, status, reason, req, filled, price, fee, slip):
        self.out.orders.append(
            Order(j, bar, dec, origin, status, reason, req, filled, price, fee, slip, self.qty[j])
        )

    # --- phases --------------------------------------------------------------------
    def order_phase(self, bar: int, row: list[float], range_bar: int) -> None:
        p = self.p
        dec = bar - self.lag
        todo = []
        for j in range(self.n_cols):
            if self.ruined[self.account[j]]:
                continue  # a ruined account places no order
            tgt = self.tg[dec][j] if dec >= 0 else NAN
            if finite(tgt) and tgt != self.last[j]:
                self.last[j] = tgt
                self.carry[j] = None
                todo.append((j, "target"))
            elif self.carry[j] is not None:
                todo.append((j, "carry"))
            elif p.rebalance != "on_change" and (self.last[j] != 0 or self.qty[j] != 0):
                todo.append((j, "rebalance"))
        if not todo:
            return
        prices = [
            row[j] if finite(row[j]) and row[j] > 0 else self.mark[j] for j in range(self.n_cols)
        ]
        values = {a: self.value(a, prices) for a in set(self.account)}
        go = []
        for j, origin in todo:
            ref = row[j]
            eq = values[self.account[j]][0]
            if not (finite(ref) and ref > 0):
                if origin != "rebalance":
                    self.record(
                        j, bar, dec, origin, "rejected", "no_price", NAN, 0.0, NAN, 0.0, 0.0
                    )
                continue
            if origin == "carry":
                want = self.carry[j]
            else:
                tgt = self.last[j]
                if p.size_type == "shares":
                    want = tgt
                elif p.size_type == "value":
                    want = tgt / ref
                elif tgt == 0:
                    want = 0.0
                elif eq <= 0:
                    self.record(j, bar, dec, origin, "rejected", "cash", NAN, 0.0, NAN, 0.0, 0.0)
                    continue
                else:
                    want = tgt * eq / ref
                if p.whole_shares:
                    want = whole(want)
            threshold = origin == "rebalance" and not isinstance(p.rebalance, str)
            if threshold and (eq <= 0 or abs(want - self.qty[j]) * ref <= p.rebalance * eq):
                continue
            raw, note = want, ""
            if want < 0 and not p.allow_short:
                want, note = 0.0, "no_short"
            if abs(want - self.qty[j]) <= 1e-9 * max(abs(want), abs(self.qty[j])):
                if note:
                    self.record(
                        j, bar, dec, origin, "rejected", note, raw - self.qty[j], 0.0, NAN, 0.0, 0.0
                    )
                continue
            go.append((j, origin, want, raw - self.qty[j], note))
        shrinking = [g for g in go if self.shrinks(self.qty[g[0]], g[2])]
        growing = [g for g in go if not self.shrinks(self.qty[g[0]], g[2])]
        for j, origin, want, req, note in shrinking + growing:
            self.execute(
                j, bar, dec, origin, want, req, note, row[j], self.base(range_bar, j), prices
            )

    @staticmethod
    def shrinks(old: float, new: float) -> bool:
        return new == 0 or (old * new > 0 and abs(new) < abs(old))

    def execute(self, j, bar, dec, origin, want, req, note, ref, base, prices) -> None:
        p = self.p
        old = self.qty[j]
        vol = self.v[bar][j]
        new, reason = want, note
        self.carry[j] = None
        if p.volume_cap is not None and finite(vol):
            most = p.volume_cap * max(vol, 0.0)
            if p.whole_shares:
                most = whole(most)
            if abs(want - old) > most:
                new = old + most if want > old else old - most
                reason = "volume"
                if p.carry:
                    self.carry[j] = want
        if new != old and not self.shrinks(old, new):
            side = 1 if new > 0 else -1
            held = abs(old) if old * side > 0 else 0.0
            x = self.largest(j, side, held, abs(new), ref, base, vol, prices)
            if x < abs(new) * (1 - 1e-9):
                if p.whole_shares:
                    x = whole(x)
                if x <= held + 1e-9 * abs(new):
                    x = held
                new = side * x
                reason = "cash"
                self.carry[j] = None
        if new == old:
            self.record(j, bar, dec, origin, "rejected", reason, req, 0.0, NAN, 0.0, 0.0)
            return
        price, fee, slip = self.fill(j, bar, new, ref, base, vol)
        status = "filled" if reason == "" else "reduced"
        self.record(j, bar, dec, origin, status, reason, req, new - old, price, fee, slip)

    def stops(self, bar: int) -> None:
        p = self.p
        for j in range(self.n_cols):
            q = self.qty[j]
            o, h, lo = self.o[bar][j], self.h[bar][j], self.l[bar][j]
            if q == 0 or not (finite(o) and finite(h) and finite(lo)):
                continue
            t = self.trade[j]
            entry = t.entry_value / t.entry_qty
            sl, tp = p.stop_loss or 0.0, p.take_profit or 0.0
            hit = None
            if q > 0:
                if sl and lo <= entry * (1 - sl):
                    hit = ("stop_loss", min(o, entry * (1 - sl)))
                elif tp and h >= entry * (1 + tp):
                    hit = ("take_profit", max(o, entry * (1 + tp)))
            else:
                if sl and h >= entry * (1 + sl):
                    hit = ("stop_loss", max(o, entry * (1 + sl)))
                elif tp and lo <= entry * (1 - tp):
                    hit = ("take_profit", min(o, entry * (1 - tp)))
            if hit is None:
                continue
            price, fee, slip = self.fill(j, bar, 0.0, hit[1], self.base(bar - 1, j), self.v[bar][j])
            self.carry[j] = None
            self.record(j, bar, bar, hit[0], "filled", "", -q, -q, price, fee, slip)

    def close_all(self, bar: int) -> None:
        for j in range(self.n_cols):
            q = self.qty[j]
            if q == 0:
                continue
            ref = self.c[bar][j]
            if not (finite(ref) and ref > 0):
                self.record(
                    j, bar, bar, "close_at_end", "rejected", "no_price", -q, 0.0, NAN, 0.0, 0.0
                )
                continue
            price, fee, slip = self.fill(j, bar, 0.0, ref, self.base(bar, j), self.v[bar][j])
            self.carry[j] = None
            self.record(j, bar, bar, "close_at_end", "filled", "", -q, -q, price, fee, slip)

    def ruin(self, bar: int) -> None:
        """An account worth <= 0 at this close is closed at the close, free, and stops."""
        for acc in range(len(self.balance)):
            if self.ruined[acc] or self.value(acc, self.mark)[0] > 0:
                continue
            self.ruined[acc] = True
            for j in range(self.n_cols):
                q = self.qty[j]
                if self.account[j] != acc or q == 0:
                    continue
                self.balance[acc] += q * self.mark[j]
                self.book(j, bar, q, 0.0, self.mark[j], 0.0, 0.0)
                self.qty[j] = 0.0
                self.carry[j] = None
                self.record(j, bar, bar, "ruin", "filled", "", -q, -q, self.mark[j], 0.0, 0.0)

    def run(self) -> Outcome:
        p = self.p
        for bar in range(self.n_bars):
            if p.fill == "next_open":
                self.order_phase(bar, list(self.o[bar]), bar - 1)
            if p.stop_loss or p.take_profit:
                self.stops(bar)
            if p.fill == "close":
                self.order_phase(bar, list(self.c[bar]), bar)
            if p.close_at_end and bar == self.n_bars - 1:
                self.close_all(bar)
            for j in range(self.n_cols):
                if finite(self.c[bar][j]) and self.c[bar][j] > 0:
                    self.mark[j] = self.c[bar][j]
            self.ruin(bar)
            held = sum(self.qty[j] * self.mark[j] for j in range(self.n_cols) if self.qty[j] != 0)
            self.out.cash.append(sum(self.balance))
            self.out.equity.append(sum(self.balance) + held)
        for j in range(self.n_cols):
            t = self.trade[j]
            if t is not None:
                t.open_qty = abs(self.qty[j])
                t.mark_price = self.mark[j]
        return self.out


def run_reference(o, h, lo, c, v, targets, params: Params) -> Outcome:
    """Simulate with the reference rules; arrays are bars x columns (lists or NumPy)."""
    return Reference(o, h, lo, c, v, targets, params).run()
