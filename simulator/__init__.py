"""The simulator service: market data and backtests over HTTP, heavy work on the `simulation` queue."""
