"""Built-in strategies: causal rules that turn closes into target weights for shared.sim."""

from shared.strategies.builtin import STRATEGIES, ParamSpec, StrategySpec, build_targets

__all__ = ["STRATEGIES", "ParamSpec", "StrategySpec", "build_targets"]
