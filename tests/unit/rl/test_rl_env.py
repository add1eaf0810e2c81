"""TradingEnv's contract: SB3's check_env, spaces, the documented reward, ruin, observations,
deterministic evaluation, and clear errors for bad input."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from gymnasium import spaces
from stable_baselines3.common.env_checker import check_env

from shared.errors import ValidationError
from shared.rl import EnvConfig, FeatureScaler, TradingEnv, build_market, run_policy
from shared.sim import Commission, RunSpec, Slippage, simulate
from tests.unit.rl.rl_cases import SPEC, make_env, market, play, random_actions, random_bars


@pytest.mark.parametrize(
    ("n_symbols", "action", "short"),
    [
        (1, "discrete", True),
        (2, "discrete", False),
        (1, "continuous", True),
        (3, "continuous", True),
    ],
)
def test_check_env_passes(n_symbols: int, action: str, short: bool):
    env = make_env(
        market(n_symbols, 120),
        EnvConfig(spec=RunSpec(allow_short=short), action=action, episode_bars=30),  # type: ignore[arg-type]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning either
        check_env(env)


def test_action_spaces_follow_symbols_and_shorting():
    def space(n: int, action: str, short: bool) -> spaces.Space:
        cfg = EnvConfig(spec=RunSpec(allow_short=short), action=action, episode_bars=20)  # type: ignore[arg-type]
        return make_env(market(n, 60), cfg).action_space

    assert space(1, "discrete", True) == spaces.Discrete(3)
    assert space(1, "discrete", False) == spaces.Discrete(2)
    assert space(2, "discrete", True) == spaces.MultiDiscrete([3, 3])
    box = space(2, "continuous", False)
    assert (
        isinstance(box, spaces.Box) and box.low.tolist() == [0, 0] and box.high.tolist() == [1, 1]
    )


def test_discrete_targets_split_position_size_and_continuous_caps_gross():
    m = market(2, 80)
    env = make_env(m, EnvConfig(spec=RunSpec(max_leverage=2.0), position_size=1.5, episode_bars=5))
    episode = play(env, [[0, 2], [1, 0], [2, 2], [1, 1]], start=0)
    expected = [[-0.75, 0.75], [0.0, -0.75], [0.75, 0.75], [0.0, 0.0]]
    np.testing.assert_array_equal(episode.targets.to_numpy()[:4], expected)

    env = make_env(m, EnvConfig(action="continuous", episode_bars=4))
    episode = play(env, [[0.5, -0.25], [0.9, -0.6], [3.0, 0.0]], start=0)
    np.testing.assert_allclose(
        episode.targets.to_numpy()[:3], [[0.5, -0.25], [0.6, -0.4], [1.0, 0.0]], rtol=1e-7
    )


def test_reward_is_log_equity_growth_minus_the_penalties():
    spec = RunSpec(commission=Commission(rate=0.002), slippage=Slippage(bps=10.0))
    m = market(1, 120, seed=4)
    dd, to = 0.3, 0.05
    env = make_env(
        m, EnvConfig(spec=spec, episode_bars=50, drawdown_penalty=dd, turnover_penalty=to)
    )
    episode = play(env, random_actions(env, 1, 49), start=20)
    result = simulate(episode.window.price_frames(), episode.targets, spec)
    equity = result.equity.to_numpy()
    # independent: turnover from the simulator's fills, drawdown from its equity curve
    fills = result.fills
    traded = (fills["filled"].abs() * fills["ref_price"]).groupby(fills["bar"]).sum()
    turnover = traded.reindex(range(len(equity)), fill_value=0.0).to_numpy()[1:] / equity[:-1]
    peak = np.maximum.accumulate(equity)[1:]
    drawdown = (peak - equity[1:]) / peak
    expected = np.log(equity[1:] / equity[:-1]) - dd * drawdown - to * turnover
    np.testing.assert_allclose(episode.rewards, expected, rtol=1e-9, atol=1e-12)
    assert turnover.max() > 0 and drawdown.max() > 0


def test_close_fills_reward_the_decision_with_the_next_bars_move():
    # fill="close": the step from decision t reaches the value at t + 1's close before its
    # orders, so a long decided at t earns close[t+1] / close[t] (no costs here)
    m = market(1, 60, seed=5)
    env = make_env(m, EnvConfig(spec=RunSpec(fill="close"), episode_bars=10))
    episode = play(env, [2] * 10, start=0)
    close = episode.window.prices[3, :, 0]
    assert episode.rewards[1] == pytest.approx(math.log(close[2] / close[1]), rel=1e-9)
    assert len(episode.rewards) == 10  # one decision per bar, the last one fills at the end


def test_ruin_terminates_and_says_so():
    n = 80
    bars = random_bars(1, n, vol=0.001)
    rally = np.ones(n)
    rally[40:] = 5.0  # the price quintuples: a 1x short loses four times its equity
    for col in ("open", "high", "low", "close"):
        bars[col] = bars[col] * rally
    m = build_market({"X": bars}, SPEC)
    env = TradingEnv(m, FeatureScaler.fit(m), EnvConfig(spec=RunSpec(), episode_bars=len(m)))
    episode = play(env, [0] * len(m), start=0)
    last = episode.infos[-1]
    assert last["ruin"] and last["equity"] <= 0
    assert episode.rewards[-1] == pytest.approx(math.log(1e-6))  # the documented floor
    assert len(episode.rewards) < len(m) - 1


def test_observation_holds_scaled_features_and_the_account():
    m = market(2, 100, seed=6)
    scaler = FeatureScaler.fit(m)
    env = TradingEnv(m, scaler, EnvConfig(episode_bars=30))
    episode = play(env, [[2, 0]] * 5, start=10)
    obs = episode.obs[5]  # after 5 steps: decision bar 15 of the market
    bar = 15
    raw = m.features[bar]  # (symbols, features)
    feats = np.clip((raw - np.array(scaler.mean)) / np.array(scaler.std), -10, 10).ravel()
    np.testing.assert_allclose(obs[:4], feats, rtol=1e-6)
    result = simulate(episode.window.price_frames(), episode.targets, RunSpec())
    equity = result.equity.iloc[5]
    values = result.positions.iloc[5].to_numpy() * m.prices[3, bar]
    np.testing.assert_allclose(obs[4:6], values / equity, rtol=1e-6)
    assert obs[6] == pytest.approx(result.cash.iloc[5] / equity, rel=1e-6)
    # filled at bar 11's open, held at the closes of bars 11..15
    np.testing.assert_allclose(obs[7:9], [5 / 252, 5 / 252], rtol=1e-6)


def test_run_policy_gives_targets_simulate_replays_out_of_sample():
    bars = {f"S{j}": random_bars(20 + j, 300) for j in range(2)}
    full = build_market(bars, SPEC)
    train = full.between(None, full.index[149])
    test = full.between(full.index[150], None)
    scaler = FeatureScaler.fit(train)  # training statistics only
    spec = RunSpec(commission=Commission(rate=0.001))
    config = EnvConfig(spec=spec, episode_bars=50)

    def policy(obs: np.ndarray) -> np.ndarray:
        return np.where(obs[[0, 2]] > 0, 2, 1)  # long a symbol after an up bar

    targets = run_policy(test, scaler, config, policy)
    assert targets.index.equals(test.index) and targets.iloc[-1].isna().all()
    env = TradingEnv(test, scaler, config.__class__(spec=spec, episode_bars=len(test)))
    obs, info = env.reset(options={"start": 0})
    equity = [info["equity"]]
    done = False
    while not done:
        obs, _, term, trunc, info = env.step(policy(obs))
        equity.append(info["equity"])
        done = term or trunc
    sim = simulate(test.price_frames(), targets, spec)
    np.testing.assert_allclose(equity, sim.equity.to_numpy(), rtol=1e-9, atol=0)
    assert run_policy(test, scaler, config, policy).equals(targets)  # deterministic


def test_scaler_uses_training_statistics_and_round_trips():
    full = market(1, 200, seed=8)
    train = full.between(None, full.index[99])
    scaler = FeatureScaler.fit(train)
    flat = train.features.reshape(-1, 2)
    np.testing.assert_allclose(scaler.mean, flat.mean(axis=0))
    np.testing.assert_allclose(scaler.std, flat.std(axis=0))
    assert FeatureScaler.from_dict(scaler.to_dict()) == scaler
    later = full.between(full.index[100], None)
    expected = (later.features[:, 0, :] - flat.mean(axis=0)) / flat.std(axis=0)
    np.testing.assert_allclose(scaler.transform(later), np.clip(expected, -10, 10), rtol=1e-6)


def test_market_cuts_warm_up_and_keeps_history_for_later_windows():
    bars = random_bars(2, 100)
    m = build_market({"A": bars}, SPEC)
    assert m.index[0] == bars.index[SPEC.warmup] and len(m) == 100 - SPEC.warmup
    assert np.isfinite(m.features).all()
    window = m.between(m.index[50], m.index[59])
    assert len(window) == 10
    np.testing.assert_array_equal(window.features, m.features[50:60])
    frames = window.price_frames()
    assert set(frames) == {"open", "high", "low", "close", "volume"}
    pd.testing.assert_series_equal(
        frames["close"]["A"], bars["close"].loc[window.index], check_names=False, check_freq=False
    )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"action": "both"}, "action"),
        ({"episode_bars": 1}, "episode_bars"),
        ({"position_size": 2.0}, "position_size"),
        ({"drawdown_penalty": -1.0}, "drawdown_penalty"),
        ({"turnover_penalty": float("nan")}, "turnover_penalty"),
        ({"spec": RunSpec(size_type="shares")}, "spec.size_type"),
        ({"spec": {"fill": "close"}}, "spec"),
    ],
)
def test_bad_config_names_the_field(kwargs: dict, field: str):
    with pytest.raises(ValidationError) as err:
        EnvConfig(**kwargs)
    assert err.value.field == field


def test_bad_inputs_are_refused_with_clear_errors():
    m = market(1, 60)
    with pytest.raises(ValidationError, match="longer than the market") as err:
        make_env(m, EnvConfig(episode_bars=500))
    assert err.value.field == "episode_bars"
    with pytest.raises(ValidationError, match="need bar volume"):
        no_volume = build_market({"A": random_bars(1, 60).drop(columns="volume")}, SPEC)
        make_env(no_volume, EnvConfig(spec=RunSpec(volume_cap=0.1), episode_bars=20))
    other = build_market({"A": random_bars(1, 60)}, SPEC.__class__(SPEC.features[:1]))
    with pytest.raises(ValidationError, match="fitted on features"):
        TradingEnv(m, FeatureScaler.fit(other), EnvConfig(episode_bars=20))
    env = make_env(m, EnvConfig(episode_bars=20))
    with pytest.raises(ValidationError, match="start=99"):
        env.reset(options={"start": 99})
    env.reset(seed=0)
    with pytest.raises(ValidationError, match="outside the action space") as err:
        env.step(3)
    assert err.value.field == "action"
    with pytest.raises(ValidationError, match="whole numbers"):
        env.step(1.5)
    bad = random_bars(1, 60)
    bad.iloc[30, bad.columns.get_loc("open")] = -1.0
    with pytest.raises(ValidationError, match=r"open is -1\.0"):
        build_market({"A": bad}, SPEC)
