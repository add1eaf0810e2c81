"""One small router per resource: data, strategies, simulations, sweeps, stress tests."""
