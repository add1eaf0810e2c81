"""Market-data sources, one module each, all implementing ``base.Provider``."""
