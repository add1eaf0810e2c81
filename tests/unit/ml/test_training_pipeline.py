"""shared.ml.training end to end on generated bars: the out-of-sample backtest is exactly the
engine's on the same decisions, training reproduces from its seed, noise is not mistaken for
skill, and a raising progress callback stops it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from shared.features import FeatureSpec, TargetSpec
from shared.ml.artifacts import files_checksum
from shared.ml.decisions import DecisionRule
from shared.ml.splits import ValidationScheme
from shared.ml.training import TrainingPlan, bars_fingerprint, price_panel, train
from shared.sim import Commission, RunSpec, Slippage, simulate

FEATURES = FeatureSpec.from_dict({
    "features": [
        {"kind": "returns", "params": {"period": 1}},
        {"kind": "lagged_return", "params": {"lag": 1}},
        {"kind": "sma_distance", "params": {"period": 10}},
        {"kind": "rsi", "params": {"period": 14}},
        {"kind": "volume_zscore", "params": {"period": 20}},
    ]
})  # fmt: skip
SPEC = RunSpec(commission=Commission(rate=0.001), slippage=Slippage(bps=2.0), allow_short=False)
SMALL = {
    "logistic_regression": {},
    "random_forest": {"n_estimators": 20, "max_depth": 4},
    "hist_gradient_boosting": {"n_estimators": 20},
    "xgboost": {"n_estimators": 20, "max_depth": 3},
    "mlp": {"epochs": 3, "hidden_units": 16},
}


def random_bars(seed: int, n: int = 700, persistence: float = 0.5) -> pd.DataFrame:
    """OHLCV bars whose return keeps the last one's sign with probability `persistence`
    (0.5: a random walk; more: momentum a model can learn)."""
    rng = np.random.default_rng(seed)
    keep = rng.random(n) < persistence
    signs = np.ones(n)
    for t in range(1, n):
        signs[t] = signs[t - 1] if keep[t] else -signs[t - 1]
    returns = signs * np.abs(rng.normal(0, 0.01, n))
    close = 100 * np.exp(np.cumsum(returns))
    open_ = close * np.exp(rng.normal(0, 0.002, n))
    index = pd.date_range("2015-01-01", periods=n, freq="B", tz="UTC")
    return pd.DataFrame({
        "open": open_, "high": np.maximum(open_, close) * 1.003,
        "low": np.minimum(open_, close) * 0.997, "close": close,
        "volume": rng.lognormal(10, 0.3, n),
    }, index=index)  # fmt: skip


def plan(
    algorithm: str, *, target: str = "direction", seed: int = 5, **hyperparameters: object
) -> TrainingPlan:
    return TrainingPlan(
        algorithm=algorithm, hyperparameters={**SMALL[algorithm], **hyperparameters},
        features=FEATURES,
        target=TargetSpec(kind=target, horizon=1), seed=seed, spec=SPEC,
        validation=ValidationScheme(n_folds=3, embargo_bars=2),
        decision=DecisionRule(long_above=0.5, short_below=0.4),
    )  # fmt: skip


def quiet(fraction: float, message: str) -> None:
    assert 0.0 <= fraction <= 1.0


def test_the_out_of_sample_backtest_is_the_engine_run_on_the_same_decisions() -> None:
    bars = {"AAA": random_bars(1), "BBB": random_bars(2)}
    trained = train(bars, plan("logistic_regression"), quiet)
    outputs = trained.oos_outputs
    assert list(outputs.columns) == ["AAA", "BBB"] and outputs.notna().all().all()
    # The rule by hand: long half the equity per symbol when P(up) >= 0.5, else flat.
    targets = pd.DataFrame(np.where(outputs.to_numpy() >= 0.5, 0.5, 0.0), outputs.index,
                           outputs.columns)  # fmt: skip
    prices = {
        name: pd.DataFrame({s: b[name] for s, b in bars.items()}).loc[outputs.index]
        for name in ("open", "high", "low", "close", "volume")
    }
    direct = simulate(prices, targets, SPEC)
    assert trained.backtest is not None
    np.testing.assert_array_equal(trained.backtest.equity.to_numpy(), direct.equity.to_numpy())
    report = trained.report["backtest"]
    assert report["model"]["total_trades"] == direct.summary["total_trades"]
    assert report["model"]["portfolio_end"] == direct.summary["portfolio_end"]
    assert (
        report["buy_and_hold"]["total_return_pct"] == direct.summary["benchmark_total_return_pct"]
    )
    # Test windows start after the first block and never before training data.
    first_test = pd.Timestamp(trained.report["folds"][0]["test_start"])
    assert outputs.index[0] == first_test


def test_the_backtest_panel_keeps_the_timestamps_every_symbol_shares() -> None:
    a, b = random_bars(3, 60), random_bars(4, 60)
    b = b.drop(b.index[[15, 16]])  # B does not trade on two of A's days
    panel = price_panel({"A": a, "B": b}, a.index[10], a.index[20])
    assert set(panel) == {"open", "high", "low", "close", "volume"}
    expected = a.index[10:21].delete([5, 6])
    pd.testing.assert_index_equal(panel["close"].index, expected)
    pd.testing.assert_series_equal(panel["close"]["B"], b["close"].loc[expected], check_names=False)


def test_symbols_on_different_calendars_train_and_backtest() -> None:
    a, b = random_bars(21, 500), random_bars(22, 500)
    b = b.drop(b.index[200:230])  # a month B did not trade
    trained = train({"A": a, "B": b}, plan("logistic_regression"), quiet)
    assert trained.backtest is not None
    assert not trained.backtest.index.isin(a.index[200:230]).any()


@pytest.mark.parametrize("algorithm", ["xgboost", "random_forest", "mlp"])
def test_the_same_request_and_seed_give_the_same_model(algorithm: str, tmp_path: Path) -> None:
    bars = {"AAA": random_bars(7, 400)}
    runs = [train(bars, plan(algorithm), quiet) for _ in range(2)]
    assert runs[0].report["metrics"] == runs[1].report["metrics"]
    assert runs[0].report["folds"] == runs[1].report["folds"]
    sums = []
    for i, run in enumerate(runs):
        folder = tmp_path / str(i)
        folder.mkdir()
        sums.append(files_checksum(folder, run.model.save(folder)))
    assert sums[0] == sums[1]


def test_noise_is_not_mistaken_for_skill_but_a_planted_signal_is_found() -> None:
    deep = plan("random_forest", max_depth=20, min_samples_leaf=1)
    noise = train({"N": random_bars(11, 900)}, deep, quiet).report["metrics"]
    # A deep forest remembers its training rows; out of sample a random walk stays a coin toss.
    assert noise["train_accuracy"] > 0.75
    assert abs(noise["validation_accuracy"] - 0.5) < 0.07
    signal = train(
        {"S": random_bars(12, 900, persistence=0.8)}, plan("random_forest"), quiet
    ).report["metrics"]
    assert signal["validation_accuracy"] > 0.7


def test_a_regressor_reports_regression_scores() -> None:
    trained = train({"A": random_bars(5, 400)}, plan("xgboost", target="return"), quiet)
    metrics = trained.report["metrics"]
    for key in ("train_r2", "validation_r2", "validation_mae", "validation_directional_accuracy"):
        assert key in metrics
    assert "validation_accuracy" not in metrics


def test_a_progress_callback_that_raises_stops_training() -> None:
    seen: list[str] = []

    class Stop(Exception):
        pass

    def cancel_in_fold_two(fraction: float, message: str) -> None:
        seen.append(message)
        if message.startswith("fold 2/"):
            raise Stop

    with pytest.raises(Stop):
        train({"A": random_bars(6, 400)}, plan("xgboost"), cancel_in_fold_two)
    assert any(m.startswith("fold 1/3") for m in seen)
    assert not any(m.startswith("final") for m in seen)


def test_the_fingerprint_changes_with_any_bar() -> None:
    bars = {"A": random_bars(8, 100)}
    before = bars_fingerprint(bars)
    changed = bars["A"].copy()
    changed.iloc[50, 3] *= 1.0000001
    assert bars_fingerprint({"A": changed}) != before
    assert bars_fingerprint({"A": bars["A"].copy()}) == before
