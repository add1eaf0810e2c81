"""Supervised models: algorithms, purged walk-forward validation, decision rules, safe artifacts.

Pure library code (numpy, pandas, scikit-learn, xgboost, torch): no database, no web, no queues.
"""
