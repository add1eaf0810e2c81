"""The native VecEnv: copies independent, deterministic under a seed, equal to TradingEnv, with
SB3's auto-reset conventions (terminal_observation, TimeLimit.truncated, episode r/l)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from shared.errors import ValidationError
from shared.rl import EnvConfig, FeatureScaler, TradingEnv, TradingVecEnv
from shared.sim import Commission, RunSpec, simulate
from tests.unit.rl.rl_cases import market

SPEC = RunSpec(commission=Commission(rate=0.001))
CONFIG = EnvConfig(spec=SPEC, episode_bars=12)


def _vec(n_envs: int, seed: int, config: EnvConfig = CONFIG, n_symbols: int = 1) -> TradingVecEnv:
    m = market(n_symbols, 80, seed=3)
    return TradingVecEnv(m, FeatureScaler.fit(m), config, n_envs=n_envs, seed=seed)


def _actions(n_steps: int, n_envs: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 3, size=(n_steps, n_envs))


def _roll(vec: TradingVecEnv, actions: np.ndarray):
    obs = [vec.reset()]
    rewards, dones, infos = [], [], []
    for row in actions:
        o, r, d, i = vec.step(row)
        obs.append(o)
        rewards.append(r)
        dones.append(d)
        infos.append(i)
    return np.array(obs), np.array(rewards), np.array(dones), infos


def test_same_seed_same_trajectories_and_another_seed_differs():
    actions = _actions(40, 4, seed=1)
    a = _roll(_vec(4, seed=7), actions)
    b = _roll(_vec(4, seed=7), actions)
    for x, y in zip(a[:3], b[:3], strict=True):
        np.testing.assert_array_equal(x, y)
    c = _roll(_vec(4, seed=8), actions)
    assert not np.array_equal(a[0], c[0])  # other windows


def test_a_copy_in_a_batch_steps_as_it_would_alone():
    # copy 2 of seed 5 is seeded 7: alone (n_envs=1, seed 7) it follows the same trajectory
    actions = _actions(40, 4, seed=2)
    batch = _roll(_vec(4, seed=5), actions)
    alone = _roll(_vec(1, seed=7), actions[:, 2:3])
    np.testing.assert_array_equal(batch[0][:, 2], alone[0][:, 0])
    np.testing.assert_array_equal(batch[1][:, 2], alone[1][:, 0])
    np.testing.assert_array_equal(batch[2][:, 2], alone[2][:, 0])


def test_each_copy_equals_the_single_env_across_auto_resets():
    n_envs, seed, steps = 3, 11, 30  # 11 steps per episode: two auto-resets per copy
    actions = _actions(steps, n_envs, seed=3)
    obs, rewards, dones, infos = _roll(_vec(n_envs, seed), actions)
    m = market(1, 80, seed=3)
    for i in range(n_envs):
        env = TradingEnv(m, FeatureScaler.fit(m), CONFIG)
        single_obs, _ = env.reset(seed=seed + i)
        np.testing.assert_array_equal(obs[0, i], single_obs)
        total = 0.0
        for k in range(steps):
            o, r, term, trunc, _ = env.step(actions[k, i])
            total += r
            assert rewards[k, i] == np.float32(r)
            assert dones[k, i] == (term or trunc)
            if term or trunc:
                info = infos[k][i]
                np.testing.assert_array_equal(info["terminal_observation"], o)
                assert info["TimeLimit.truncated"] == (trunc and not term)
                assert info["episode"]["l"] == CONFIG.episode_bars - 1
                assert info["episode"]["r"] == pytest.approx(total, abs=1e-6)
                total = 0.0
                o, _ = env.reset()  # the same generator draws the next window
            np.testing.assert_array_equal(obs[k + 1, i], o)


def test_every_copy_replays_through_simulate():
    vec = _vec(3, seed=4, n_symbols=2)
    vec.reset()
    core = vec.core
    starts = [core.start_of(i) for i in range(3)]
    equity = [[float(core.out[i, 1])] for i in range(3)]  # bar 0's equity, after reset
    rng = np.random.default_rng(0)
    for _ in range(CONFIG.episode_bars - 2):  # stop before the auto-reset wipes the targets
        _, _, dones, _ = vec.step(rng.integers(0, 3, size=(3, 2)))
        assert not dones.any()
        for i in range(3):
            equity[i].append(float(core.out[i, 1]))
    m = core.market
    for i, start in enumerate(starts):
        window = m.between(m.index[start], m.index[start + CONFIG.episode_bars - 1])
        frame = pd.DataFrame(core.targets[i], index=window.index, columns=list(m.symbols))
        sim = simulate(window.price_frames(), frame, SPEC).equity.to_numpy()
        np.testing.assert_allclose(equity[i], sim[: len(equity[i])], rtol=1e-9, atol=0)


def test_ppo_learns_on_it_and_logs_episode_reward():
    from stable_baselines3 import PPO

    vec = _vec(4, seed=0, config=EnvConfig(spec=SPEC, episode_bars=10))
    model = PPO("MlpPolicy", vec, n_steps=32, batch_size=64, n_epochs=1, seed=0, device="cpu")
    model.learn(total_timesteps=256)
    assert len(model.ep_info_buffer) > 0
    assert {"r", "l"} <= set(model.ep_info_buffer[0])
    assert model.ep_info_buffer[0]["l"] == 9


def test_unknown_attributes_and_bad_actions_are_refused():
    vec = _vec(2, seed=0)
    vec.reset()
    assert vec.get_attr("render_mode") == [None, None]
    assert vec.env_is_wrapped(object) == [False, False]  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="outside the action space"):
        vec.step(np.array([0, 5]))
    with pytest.raises(ValidationError, match="fit 2 copies"):
        vec.step(np.array([0, 1, 2]))


def test_actions_in_every_accepted_form_step_alike():
    # SB3's own int64 rows go straight to the compiled kernel; other integer types, whole floats,
    # strided views and lists are converted first: all give the same trajectories.
    actions = _actions(30, 4, seed=4)
    expected = _roll(_vec(4, seed=9), actions)
    wide = np.zeros((30, 8), dtype=np.int64)
    wide[:, ::2] = actions
    forms = [actions.astype(np.int32), actions.astype(np.float64), wide[:, ::2],
             actions.tolist()]  # fmt: skip
    for form in forms:
        got = _roll(_vec(4, seed=9), form)  # type: ignore[arg-type]
        for x, y in zip(expected[:3], got[:3], strict=True):
            np.testing.assert_array_equal(x, y)
    with pytest.raises(ValidationError, match="whole numbers"):
        _roll(_vec(4, seed=9), actions + 0.5)


def test_continuous_weights_step_alike_as_float32_or_float64():
    # float32 (what SB3 passes for a Box) goes straight to the kernel, float64 is converted first
    config = EnvConfig(spec=SPEC, action="continuous", episode_bars=12)
    weights = np.random.default_rng(5).uniform(-1, 1, size=(30, 3, 2))
    expected = _roll(_vec(3, seed=2, config=config, n_symbols=2), weights.astype(np.float32))
    got = _roll(_vec(3, seed=2, config=config, n_symbols=2), weights)
    for x, y in zip(expected[:3], got[:3], strict=True):
        np.testing.assert_array_equal(x, y)


def test_a_steps_arrays_and_infos_stay_the_callers():
    vec = _vec(2, seed=3)
    vec.reset()
    obs, rewards, dones, infos = vec.step(np.array([2, 0]))
    kept = np.array(obs), rewards.copy(), dones.copy()
    infos[0]["mine"] = 1  # a wrapper writing into an info it was given
    finished = 0
    for _ in range(2 * CONFIG.episode_bars):  # across auto-resets
        _, _, done, step_infos = vec.step(np.array([1, 2]))
        assert all("mine" not in info for info in step_infos)
        assert all(info == {} for info, d in zip(step_infos, done, strict=True) if not d)
        finished += sum("episode" in info for info in step_infos)
    assert finished >= 2
    for before, now in zip(kept, (obs, rewards, dones), strict=True):
        np.testing.assert_array_equal(before, now)  # later steps wrote their own buffers
