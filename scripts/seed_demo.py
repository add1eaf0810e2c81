"""Seed a demo so a fresh platform is not empty: a data download, one backtest, one small model.

`scripts/wait_ready.py` calls it once the platform is healthy; run it by hand against a running
platform with `python scripts/seed_demo.py`. The server dedupes on the idempotency keys, so the
demo is seeded once per database however often it runs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

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
    """Queue the demo download, backtest and model; later runs get the same jobs back."""
    download = _post(client, say, "/data/downloads", DEMO_DOWNLOAD, headers, "", "data")
    if download is None:
        return
    job = download.get("job", {})
    say(f"Demo data: download job {job.get('id')} ({job.get('status')}); watch it live with")
    say(f"  curl -N {api}/jobs/{job.get('id')}/events")
    sim = _post(client, say, "/simulations", DEMO_SIMULATION, headers, "-simulation", "backtest")
    if sim is not None:
        say(f"Demo backtest: {api}/simulations/{sim.get('simulation_id')}")
    model = _post(client, say, "/trainings", DEMO_TRAINING, headers, "-training", "model")
    if model is not None:
        say(f"Demo model: {api}/trainings/{model.get('training_id')} (then GET {api}/models)")


def _post(
    client: httpx.Client, say: Callable[[str], None], path: str, body: Mapping[str, object],
    headers: dict[str, str], key_suffix: str, what: str,
) -> dict[str, Any] | None:  # fmt: skip
    """POST one demo job under its idempotency key; its answer, or None (said why)."""
    key = {"Idempotency-Key": DEMO_IDEMPOTENCY_KEY + key_suffix}
    try:
        response = client.post(path, json=body, headers={**headers, **key})
    except httpx.HTTPError as exc:
        say(f"Demo {what} not queued: {exc}")
        return None
    if response.status_code >= 400:
        say(f"Demo {what} not queued: HTTP {response.status_code} {response.text[:300]}")
        return None
    answer: dict[str, Any] = response.json()
    return answer


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
