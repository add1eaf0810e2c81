"""THE key property: an agent's actions replayed through shared.sim.simulate() give the same
equity at every bar (1e-9), because the environment fills through the engine's own functions.

The simulator is the independent side here: its own loop, its own validation, run on the
episode's window with the targets the environment recorded.
"""

from __future__ import annotations

import numpy as np
import pytest

from shared.rl import EnvConfig
from shared.sim import Commission, RunSpec, Slippage, simulate
from tests.unit.rl.rl_cases import make_env, market, play, random_actions

COSTS = {
    "commission": Commission(rate=0.001, per_share=0.005, min_fee=1.0),
    "slippage": Slippage(bps=5.0, spread_bps=4.0, range_frac=0.1),
}
SPECS = {
    "next_open": RunSpec(**COSTS),
    "next_open_delay": RunSpec(**COSTS, delay=2, whole_shares=True),
    "close": RunSpec(**COSTS, fill="close"),
    "close_delay": RunSpec(**COSTS, fill="close", delay=1),
    "long_only": RunSpec(**COSTS, allow_short=False),
    "stops_cap_impact": RunSpec(
        commission=Commission(rate=0.0005, fixed=0.5),
        slippage=Slippage(bps=2.0, impact=0.1),
        stop_loss=0.03,
        take_profit=0.05,
        volume_cap=0.02,
        close_at_end=True,
    ),
    "per_asset_rebalance": RunSpec(**COSTS, cash="per_asset", rebalance="always", max_leverage=2.0),
}
REL = 1e-9


def _check(episode, spec: RunSpec) -> None:
    result = simulate(episode.window.price_frames(), episode.targets, spec)
    sim_equity = result.equity.to_numpy()
    bars = sorted(episode.equity)
    env_equity = np.array([episode.equity[b] for b in bars])
    assert bars == list(range(bars[0], len(sim_equity)))  # every bar of the window reported
    np.testing.assert_allclose(env_equity, sim_equity[bars[0] :], rtol=REL, atol=0.0)
    np.testing.assert_allclose(
        episode.positions, result.final_positions.to_numpy(), rtol=REL, atol=1e-9
    )
    assert len(result.fills) > 0  # the actions did trade


@pytest.mark.parametrize("n_symbols", [1, 3])
@pytest.mark.parametrize("action", ["discrete", "continuous"])
@pytest.mark.parametrize("name", sorted(SPECS))
def test_env_equity_equals_simulate_at_every_bar(name: str, action: str, n_symbols: int):
    spec = SPECS[name]
    m = market(n_symbols, 160, seed=n_symbols)
    env = make_env(m, EnvConfig(spec=spec, action=action, episode_bars=60))
    for seed in range(3):
        episode = play(env, random_actions(env, seed, 60), seed=seed)
        _check(episode, spec)


def test_holding_actions_place_no_new_orders():
    # a repeated target is no change for the engine either ("on_change" rebalancing)
    spec = SPECS["next_open"]
    m = market(1, 120)
    env = make_env(m, EnvConfig(spec=spec, episode_bars=40))
    episode = play(env, [2] * 39, start=10)
    result = simulate(episode.window.price_frames(), episode.targets, spec)
    assert len(result.orders) == 1
    _check(episode, spec)
