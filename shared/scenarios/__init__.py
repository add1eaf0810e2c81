"""Monte Carlo market scenarios for stress tests: block bootstrap and GARCH filtered simulation."""

from shared.scenarios.resampling import GarchFit, block_bootstrap_panel, fit_garch, garch_panel

__all__ = ["GarchFit", "block_bootstrap_panel", "fit_garch", "garch_panel"]
