"""Features: the pure, causal layer (numpy/numba/pandas only; no TA-Lib, no I/O, no services).

Whatever is computed here at bar t uses bars up to t only, so the same code serves strategies,
sweeps, model training and simulation without leaking the future.
"""

from shared.features.indicators import atr, bbands, ema, lookback, macd, rsi, sma

__all__ = ["atr", "bbands", "ema", "lookback", "macd", "rsi", "sma"]
