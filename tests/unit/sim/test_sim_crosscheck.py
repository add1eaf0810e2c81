"""Cross-check against backtesting.py on 20 years of real S&P 500 bars.

Conventions matched: whole shares, market orders filled at the next bar's open, commission
charged on every fill as a rate of its notional (plus a fixed fee where no fill flips a
position: backtesting.py charges the fixed part once per trade leg), no spread, open
trades marked at the last close and left open.
"""

from __future__ import annotations

import warnings

import backtesting  # a pinned dev dependency: this test must run, never skip
import numpy as np
import pandas as pd
import pytest
from arch.data import sp500

from shared.sim import Commission, simulate

REL = 1e-9
CASH = 1_000_000.0


@pytest.fixture(scope="module")
def spx() -> pd.DataFrame:
    return sp500.load()[["Open", "High", "Low", "Close", "Volume"]]


def crossover_shares(close: pd.Series, fast: int, slow: int, short: bool) -> pd.Series:
    """Whole shares worth ~40 % of the start capital at each crossover, NaN in between."""
    up = close.rolling(fast).mean() > close.rolling(slow).mean()
    side = np.where(up, 1.0, -1.0 if short else 0.0)
    size = np.floor(0.4 * CASH / close)
    targets = pd.Series(side * size, index=close.index).where(close.rolling(slow).mean().notna())
    changed = np.sign(targets).ne(np.sign(targets).shift())
    return targets.where(changed & targets.notna())


def run_backtesting_py(data: pd.DataFrame, targets: pd.Series, commission) -> pd.Series:
    plan = targets.to_numpy()

    class Replay(backtesting.Strategy):
        def init(self) -> None:
            pass

        def next(self) -> None:
            want = plan[len(self.data) - 1]
            if np.isnan(want):
                return
            delta = want - self.position.size
            if delta > 0:
                self.buy(size=int(delta))
            elif delta < 0:
                self.sell(size=int(-delta))

    bt = backtesting.Backtest(
        data, Replay, cash=CASH, commission=commission, trade_on_close=False, hedging=False
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return bt.run()


@pytest.mark.parametrize(
    ("fast", "slow", "short", "commission"),
    [
        (10, 50, True, 0.002),  # long/short flips, rate of notional
        (20, 100, False, (5.0, 0.001)),  # long/flat, fixed + rate per fill
        (5, 30, True, 0.0),
    ],
)
def test_matches_backtesting_py(spx: pd.DataFrame, fast, slow, short, commission) -> None:
    targets = crossover_shares(spx["Close"], fast, slow, short)
    assert np.isnan(targets.iloc[0])  # backtesting.py makes no decision on the first bar
    theirs = run_backtesting_py(spx, targets, commission)
    fixed, rate = commission if isinstance(commission, tuple) else (0.0, commission)
    ours = simulate(
        spx,
        targets.rename("SPX"),
        initial_cash=CASH,
        size_type="shares",
        whole_shares=True,
        commission=Commission(rate=rate, fixed=fixed),
        max_leverage=10.0,
    )
    assert ours.summary["orders_rejected"] == 0 and ours.summary["orders_reduced"] == 0
    np.testing.assert_allclose(
        ours.equity.to_numpy(), theirs["_equity_curve"]["Equity"].to_numpy(), rtol=REL
    )
    assert ours.equity.iloc[-1] == pytest.approx(theirs["Equity Final [$]"], rel=REL)

    mine = ours.trades[~ours.trades["is_open"]].reset_index(drop=True)
    other = theirs["_trades"].reset_index(drop=True)
    assert len(mine) == len(other) > 10
    sign = np.where(mine["direction"] == "long", 1, -1)
    np.testing.assert_array_equal(mine["size"] * sign, other["Size"])
    np.testing.assert_array_equal(mine["entry_bar"], other["EntryBar"])
    np.testing.assert_array_equal(mine["exit_bar"], other["ExitBar"])
    np.testing.assert_allclose(mine["entry_price"], other["EntryPrice"], rtol=REL)
    np.testing.assert_allclose(mine["exit_price"], other["ExitPrice"], rtol=REL)
    np.testing.assert_allclose(mine["pnl"], other["PnL"], rtol=REL, atol=REL * CASH)
    np.testing.assert_allclose(mine["return_pct"] / 100, other["ReturnPct"], rtol=REL, atol=1e-12)
    assert ours.summary["closed_trades"] == theirs["# Trades"]
