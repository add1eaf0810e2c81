"""The library every service imports: settings, errors, storage, jobs, market data, web helpers."""
