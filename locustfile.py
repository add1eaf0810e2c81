"""Load test for a running platform (`make up` first); `make load` runs it on a private stack. Or:

    locust -f locustfile.py --headless -u 20 -r 5 -t 1m --host http://127.0.0.1:8000

Mostly reads (health, job lists, data catalogue, bars), with an occasional cached data download.
Set API_KEY in the environment when the gateway requires one.
"""

from __future__ import annotations

import os
import random

from locust import HttpUser, between, task

SYMBOLS = ["SP500", "NASDAQ"]
DOWNLOAD = {"source": "builtin", "start": "2015-01-01", "end": "2018-12-31", "interval": "1d"}


class ApiUser(HttpUser):
    """A dashboard user: polls jobs, browses data, sometimes queues a download."""

    host = "http://127.0.0.1:8000"
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        api_key = os.environ.get("API_KEY")
        if api_key:
            self.client.headers["X-API-Key"] = api_key

    @task(5)
    def list_jobs(self) -> None:
        self.client.get("/api/v1/jobs?limit=20")

    @task(3)
    def health(self) -> None:
        self.client.get("/api/v1/health")

    @task(3)
    def data_catalogue(self) -> None:
        self.client.get("/api/v1/data/sources")
        self.client.get("/api/v1/data/symbols?source=builtin")

    @task(2)
    def bars(self) -> None:
        symbol = random.choice(SYMBOLS)
        self.client.get(
            "/api/v1/data/bars",
            params={
                "source": "builtin",
                "symbol": symbol,
                "start": "2017-01-01",
                "end": "2018-12-31",
                "interval": "1d",
            },
            name="/api/v1/data/bars",
        )

    @task(1)
    def download(self) -> None:
        body = {**DOWNLOAD, "symbols": [random.choice(SYMBOLS)]}
        with self.client.post("/api/v1/data/downloads", json=body, catch_response=True) as response:
            if response.status_code != 202:
                response.failure(f"expected 202, got {response.status_code}: {response.text[:200]}")
            else:
                job_id = response.json()["job"]["id"]
                self.client.get(f"/api/v1/jobs/{job_id}", name="/api/v1/jobs/{id}")

    @task(2)
    def simulations(self) -> None:
        page = self.client.get("/api/v1/simulations?limit=10").json()
        for item in page.get("items", [])[:1]:
            sim_id = item["simulation_id"]
            self.client.get(f"/api/v1/simulations/{sim_id}", name="/api/v1/simulations/{id}")
            self.client.get(
                f"/api/v1/simulations/{sim_id}/trades?limit=50",
                name="/api/v1/simulations/{id}/trades",
            )
