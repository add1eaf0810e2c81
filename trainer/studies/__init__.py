"""RL studies: Optuna searches over agents and hyperparameters, trials fanned out as chunks."""
