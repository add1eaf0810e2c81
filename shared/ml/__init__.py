"""Models: supervised algorithms, purged walk-forward validation, decision rules, safe artifacts,
and reinforcement-learning agents (stable-baselines3) with their safetensors policies.

Pure library code (numpy, pandas, scikit-learn, xgboost, torch, stable-baselines3): no database,
no web, no queues.
"""
