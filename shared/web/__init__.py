"""FastAPI helpers every service uses: error mapping, health probes, Prometheus metrics."""
