"""Seed a demo so a fresh platform is not empty: a data download, one backtest, one small model.

`scripts/wait_ready.py` calls it once the platform is healthy; run it by hand against a running
platform with `python scripts/seed_demo.py`. The server dedupes on the idempotency keys, so the
demo is seeded once per database however often it runs.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx

from shared.config import Settings, get_settings

WILDCARD_HOSTS = {"0.0.0.0", "::", ""}

DEMO_DOWNLOAD = {
    "source": "builtin",
    "symbols": ["SP500", "NASDAQ"],
    "start": "2015-01-01",
    "end": "2018-12-31",
    "interval": "1d",
}
DEMO_SIMULATION = {
    "strategy": "sma_crossover",
    "params": {"fast": 20, "slow": 100},
    "source": "builtin",
    "symbols": ["SP500"],
    "start": "2005-01-01",
    "end": "2018-12-31",
    "costs": {"commission_rate": 0.0005, "slippage_bps": 2},
}
# Small on purpose (seconds on 2 cores): 7 years of one index, 4 purged walk-forward folds.
DEMO_TRAINING = {
    "model_name": "demo-xgboost-sp500",
    "algorithm": "xgboost",
    "hyperparameters": {"n_estimators": 60, "max_depth": 3, "learning_rate": 0.1},
    "source": "builtin",
    "symbols": ["SP500"],
    "start": "2010-01-01",
    "end": "2016-12-31",
    "target": {"kind": "direction", "horizon": 1},
    "validation": {"method": "walk_forward", "n_folds": 4, "embargo_bars": 5},
    "costs": {"commission_rate": 0.0005, "slippage_bps": 2},
    "seed": 7,
}
DEMO_IDEMPOTENCY_KEY = "demo-seed-builtin-v1"


def seed_demo(
    client: httpx.Client, say: Callable[[str], None], api: str, headers: dict[str, str]
) -> None:
    """Queue the demo download and backtest; later runs get the same jobs back (idempotency)."""
    try:
        response = client.post(
            "/data/downloads",
            json=DEMO_DOWNLOAD,
            headers={**headers, "Idempotency-Key": DEMO_IDEMPOTENCY_KEY},
        )
    except httpx.HTTPError as exc:
        say(f"Demo data not seeded: {exc}")
        return
    if response.status_code >= 400:
        say(f"Demo data not seeded: HTTP {response.status_code} {response.text[:300]}")
        return
    job = response.json().get("job", {})
    say(f"Demo data: download job {job.get('id')} ({job.get('status')}); watch it live with")
    say(f"  curl -N {api}/jobs/{job.get('id')}/events")
    try:
        sim = client.post(
            "/simulations",
            json=DEMO_SIMULATION,
            headers={**headers, "Idempotency-Key": DEMO_IDEMPOTENCY_KEY + "-simulation"},
        )
    except httpx.HTTPError as exc:
        say(f"Demo simulation not queued: {exc}")
        return
    if sim.status_code < 400:
        say(f"Demo backtest: {api}/simulations/{sim.json().get('simulation_id')}")
    _queue_demo_training(client, say, api, headers)


def _queue_demo_training(
    client: httpx.Client, say: Callable[[str], None], api: str, headers: dict[str, str]
) -> None:
    """A small model, so that the registry is not empty either."""
    key = {"Idempotency-Key": DEMO_IDEMPOTENCY_KEY + "-training"}
    try:
        response = client.post("/trainings", json=DEMO_TRAINING, headers={**headers, **key})
    except httpx.HTTPError as exc:
        say(f"Demo model not queued: {exc}")
        return
    if response.status_code >= 400:
        say(f"Demo model not queued: HTTP {response.status_code} {response.text[:300]}")
        return
    say(f"Demo model: {api}/trainings/{response.json().get('training_id')}")


def gateway_root(settings: Settings) -> str:
    """Where this machine reaches the gateway (a wildcard bind is reached on loopback)."""
    host = "127.0.0.1" if settings.gateway_host in WILDCARD_HOSTS else settings.gateway_host
    return f"http://{host}:{settings.gateway_port}"


def write_headers(settings: Settings) -> dict[str, str]:
    """The API key header writes need when API_KEY is set."""
    return {"X-API-Key": settings.api_key.get_secret_value()} if settings.api_key else {}


def main() -> int:
    settings = get_settings()
    api = f"{gateway_root(settings)}/api/v1"
    with httpx.Client(base_url=api, timeout=10.0) as client:
        seed_demo(client, print, api, write_headers(settings))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
