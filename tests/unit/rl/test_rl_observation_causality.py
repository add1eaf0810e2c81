"""No observation looks ahead: changing every bar after t changes no observation (features or
account state) up to the decision at t, with the same actions and the same scaler."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.rl import EnvConfig, FeatureScaler, TradingEnv, build_market
from shared.sim import Commission, RunSpec
from tests.unit.rl.rl_cases import SPEC, random_bars

FILLS = st.sampled_from([("next_open", 0), ("close", 0), ("next_open", 1)])


def _perturbed(bars, after: int, seed: int):
    rng = np.random.default_rng(seed)
    out = bars.copy()
    shock = np.exp(rng.normal(0.0, 0.1, len(bars) - after - 1))
    for col in ("open", "high", "low", "close"):
        out.iloc[after + 1 :, out.columns.get_loc(col)] *= shock
    out.iloc[after + 1 :, out.columns.get_loc("volume")] *= rng.uniform(0.5, 2.0, shock.size)
    return out


def _observations(bars_by_symbol, scaler, config, actions):
    m = build_market(bars_by_symbol, SPEC)
    env = TradingEnv(m, scaler, config)
    obs, _ = env.reset(options={"start": 0})
    seen = [obs]
    for action in actions:
        obs, _, terminated, truncated, _ = env.step(action)
        seen.append(obs)
        if terminated or truncated:
            break
    return np.array(seen)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), fill=FILLS, n_symbols=st.integers(1, 2), data=st.data())
def test_observation_at_t_ignores_every_later_bar(seed, fill, n_symbols, data):
    n = 60
    bars = {f"S{j}": random_bars(seed + j, n) for j in range(n_symbols)}
    warmup = SPEC.warmup
    t = data.draw(st.integers(0, n - warmup - 3), label="t")  # decision bar, in the market
    changed = {s: _perturbed(b, warmup + t, seed + 99) for s, b in bars.items()}
    spec = RunSpec(commission=Commission(rate=0.001), fill=fill[0], delay=fill[1])
    config = EnvConfig(spec=spec, episode_bars=n - warmup)
    scaler = FeatureScaler.fit(build_market(bars, SPEC))  # fixed, passed to both
    rng = np.random.default_rng(seed)
    actions = rng.integers(0, 3, size=(n - warmup, n_symbols))
    before = _observations(bars, scaler, config, actions)
    after = _observations(changed, scaler, config, actions)
    np.testing.assert_array_equal(after[: t + 1], before[: t + 1])
    assert not np.array_equal(after[t + 2 :], before[t + 2 :])  # the change did reach later ones
