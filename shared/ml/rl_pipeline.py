"""Train an RL agent honestly: learn on the earlier bars, judge on the later, unseen ones.

1. The feature pipeline builds the market once on every bar; it is split by time into the
   training window and the evaluation window (the latest eval_share of the bars, or from
   eval_start). The scaler is fitted on the training window only.
2. The agent trains on TradingVecEnv copies over the training window (random start windows,
   seeded), reporting timesteps and the recent mean episode reward.
3. The trained policy, exported as it will be stored (safetensors + JSON config, rebuilt without
   pickle), acts deterministically over the whole evaluation window; its target weights run
   through shared.sim with the request's costs, beside buy-and-hold of the same bars: the same
   out-of-sample figures as a supervised model's walk-forward backtest.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from shared.errors import ValidationError
from shared.features import FeatureSpec
from shared.ml.algorithms import get_algorithm
from shared.ml.rl_bundle import PolicyBundle, PolicyEnvironment
from shared.ml.rl_policy import SavedPolicy, export_policy
from shared.ml.rl_training import AgentTraining, build_agent, train_agent
from shared.ml.training import BACKTEST_KEYS, BENCHMARK_KEYS
from shared.rl import EnvConfig, FeatureScaler, Market, build_market, run_policy
from shared.sim import SimResult, simulate

Progress = Callable[[float, str], None]
"""progress(fraction 0..1, message); it may raise to abort the training."""
StopFn = Callable[[], bool]
MIN_EVAL_BARS = 10
MAX_CURVE_POINTS = 200
_TRAIN_SHARE = 0.9  # of the progress bar; the rest is building the market and evaluating


@dataclass(frozen=True)
class RLPlan:
    """Everything an agent's training needs besides the bars; each part already validated."""

    algorithm: str
    hyperparameters: Mapping[str, Any]
    features: FeatureSpec
    env: EnvConfig
    eval_share: float = 0.2
    eval_start: pd.Timestamp | None = None
    seed: int = 0
    device: str = "cpu"
    n_threads: int = 1


@dataclass
class TrainedPolicy:
    """The policy with its environment, the JSON-ready report and the evaluation's backtest."""

    bundle: PolicyBundle
    report: dict[str, Any]
    backtest: SimResult


def split_market(market: Market, plan: RLPlan) -> tuple[Market, Market]:
    """(training window, evaluation window): consecutive, the evaluation strictly later."""
    index = market.index
    if plan.eval_start is not None:
        start = pd.Timestamp(plan.eval_start)
        if index.tz is not None and start.tzinfo is None:
            start = start.tz_localize(index.tz)
        cut, field = int(index.searchsorted(start)), "environment.eval_start"
    else:
        cut, field = (
            len(index) - max(round(len(index) * plan.eval_share), 1),
            "environment.eval_share",
        )
    if len(index) - cut < MIN_EVAL_BARS:
        raise ValidationError(
            f"the evaluation window holds {len(index) - cut} bar(s) of {len(index)} usable ones; "
            f"it needs at least {MIN_EVAL_BARS}: move it earlier or widen the date range",
            field=field,
        )
    if cut < plan.env.episode_bars + 1:
        raise ValidationError(
            f"the training window holds {cut} usable bar(s) (after the features' warm-up), "
            f"fewer than episode_bars {plan.env.episode_bars} + 1; shorten the episodes, "
            "move the evaluation later or widen the date range",
            field="environment.episode_bars",
        )
    return market.between(index[0], index[cut - 1]), market.between(index[cut], None)


def train_policy(
    bars: Mapping[str, pd.DataFrame],
    plan: RLPlan,
    progress: Progress,
    should_stop: StopFn | None = None,
) -> TrainedPolicy | None:
    """Train `plan`'s agent on `bars` (one frame per symbol) and evaluate it out of sample;
    None when `should_stop()` answered True during training (nothing to keep)."""
    from shared.rl.vec_env import TradingVecEnv  # pulls in torch and SB3: only when training

    progress(0.0, "building the market")
    market = build_market(bars, plan.features)
    train, test = split_market(market, plan)
    scaler = FeatureScaler.fit(train)
    values = get_algorithm(plan.algorithm).validate(plan.hyperparameters)
    vec = TradingVecEnv(train, scaler, plan.env, n_envs=values["n_envs"], seed=plan.seed)
    agent = build_agent(
        plan.algorithm, values, vec, seed=plan.seed, device=plan.device, n_threads=plan.n_threads
    )
    curve: list[dict[str, float]] = []

    def report(fraction: float, message: str, extra: dict[str, Any]) -> None:
        if extra.get("mean_episode_reward") is not None:
            curve.append(
                {"timesteps": extra["timesteps"], "episode_reward": extra["mean_episode_reward"]}
            )
        progress(0.02 + _TRAIN_SHARE * fraction, message)

    outcome = train_agent(
        agent, values["total_timesteps"], progress=report, should_stop=should_stop,
        n_threads=plan.n_threads,
    )  # fmt: skip
    if outcome.cancelled:
        return None
    progress(0.93, "evaluating the policy on the unseen window")
    policy = export_policy(agent, n_threads=plan.n_threads)
    bundle = PolicyBundle(
        policy, PolicyEnvironment.of(market.symbols, plan.features, scaler, plan.env)
    )
    backtest = evaluate_policy(policy, test, scaler, plan.env)
    result = TrainedPolicy(bundle, _report(plan, train, test, outcome, curve, backtest), backtest)
    progress(1.0, "trained")
    return result


def evaluate_policy(
    policy: SavedPolicy, market: Market, scaler: FeatureScaler, config: EnvConfig
) -> SimResult:
    """The policy's deterministic decisions over `market`, filled by shared.sim."""
    targets = run_policy(
        market, scaler, config, lambda obs: policy.predict(obs, deterministic=True)
    )
    return simulate(market.price_frames(), targets, config.spec)


def rl_headline_metrics(backtest: SimResult, outcome: AgentTraining) -> dict[str, Any]:
    """The registry's flat figures: the out-of-sample backtest beside buy-and-hold (the same
    keys a supervised model has), and how training ended."""
    summary = backtest.summary
    out: dict[str, Any] = {
        f"oos_{key}": _number(summary.get(key))
        for key in ("sharpe", "total_return_pct", "max_drawdown_pct", "total_trades")
    }
    for key in ("sharpe", "total_return_pct"):
        out[f"buy_and_hold_{key}"] = _number(summary.get(f"benchmark_{key}"))
    out["train_mean_episode_reward"] = _number(outcome.mean_episode_reward)
    out["timesteps_per_s"] = _number(outcome.timesteps_per_s)
    return out


def thin_curve(
    points: list[dict[str, float]], limit: int = MAX_CURVE_POINTS
) -> list[dict[str, float]]:
    """At most `limit` points, evenly spread, always keeping the first and the last."""
    if len(points) <= limit:
        return list(points)
    step = (len(points) - 1) / (limit - 1)
    return [points[round(i * step)] for i in range(limit)]


def _report(
    plan: RLPlan, train: Market, test: Market, outcome: AgentTraining,
    curve: list[dict[str, float]], backtest: SimResult,
) -> dict[str, Any]:  # fmt: skip
    summary = backtest.summary
    return {
        "task": "reinforcement",
        "dataset": {
            "rows": len(train),
            "symbols": list(train.symbols),
            "first": train.index[0].isoformat(),
            "last": train.index[-1].isoformat(),
        },
        "metrics": rl_headline_metrics(backtest, outcome),
        "windows": {"train": _window(train), "evaluation": _window(test)},
        "training": {
            "timesteps": outcome.timesteps,
            "total_timesteps": outcome.total_timesteps,
            "episodes": outcome.episodes,
            "mean_episode_reward": outcome.mean_episode_reward,
            "mean_episode_length": outcome.mean_episode_length,
            "timesteps_per_s": round(outcome.timesteps_per_s, 1),
            "seconds": round(outcome.seconds, 3),
        },
        "curve": thin_curve(curve),
        "backtest": {
            "start": summary["start_date"],
            "end": summary["end_date"],
            "bars": summary["bars"],
            "model": {key: summary.get(key) for key in BACKTEST_KEYS},
            "buy_and_hold": {key: summary.get(f"benchmark_{key}") for key in BENCHMARK_KEYS},
            "policy": "deterministic",
            "walk_forward": True,
        },
        "device": plan.device,
    }


def _window(market: Market) -> dict[str, Any]:
    return {
        "start": market.index[0].isoformat(),
        "end": market.index[-1].isoformat(),
        "bars": len(market),
    }


def _number(value: object) -> float | int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, int):
        return value
    return float(value) if value == value and abs(value) != float("inf") else None
