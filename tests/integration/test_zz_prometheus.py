"""A real Prometheus (the Debian package's binary) scraping the running platform with the alert
rules loaded: every service is up, the rules evaluate without error, the job metrics move when
jobs finish, and every metric a Grafana panel or an alert reads is there. Named to run after the
other integration tests, so the jobs it submits overlap no other test's counts."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import yaml

from tests.support.processes import ROOT, Proc, free_port, wait_until
from tests.support.stack import Stack

pytestmark = pytest.mark.integration

SERVICES = ("gateway", "trainer", "simulator")
DOWNLOAD = {"source": "builtin", "symbols": ["SP500"], "start": "2016-01-04",
            "end": "2016-12-30", "interval": "1d"}  # fmt: skip


@pytest.fixture(scope="module")
def prometheus(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """Prometheus on a free port, on prometheus/local.yml with the stack's ports, scraping and
    evaluating every second; a client on its HTTP API."""
    binary = shutil.which("prometheus")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("prometheus is not installed on CI: .ci/run installs the package")
        pytest.skip("prometheus not installed (apt-get install prometheus)")
    folder = tmp_path_factory.mktemp("prometheus")
    shutil.copy(ROOT / "prometheus" / "alerts.yml", folder / "alerts.yml")
    config = yaml.safe_load((ROOT / "prometheus" / "local.yml").read_text())
    config["global"] = {"scrape_interval": "1s", "evaluation_interval": "1s"}
    urls = {"gateway": stack.gateway_url, "trainer": stack.trainer_url,
            "simulator": stack.simulator_url}  # fmt: skip
    for scrape in config["scrape_configs"]:
        scrape["static_configs"] = [{"targets": [urlsplit(urls[scrape["job_name"]]).netloc]}]
    (folder / "prometheus.yml").write_text(yaml.safe_dump(config))
    port = free_port()
    args = [
        binary, f"--config.file={folder / 'prometheus.yml'}",
        f"--storage.tsdb.path={folder / 'data'}", f"--web.listen-address=127.0.0.1:{port}",
    ]  # fmt: skip
    proc = Proc("prometheus", args, dict(os.environ), stack.log_dir)
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10)
    try:
        wait_until(lambda: client.get("/-/ready").status_code == 200, 60, "prometheus", proc.log)
        yield client
    finally:
        client.close()
        proc.stop()


def _api(client: httpx.Client, path: str, **params: str) -> Any:
    body = client.get(f"/api/v1/{path}", params=params).json()
    assert body["status"] == "success", body
    return body["data"]


def _value(client: httpx.Client, query: str) -> float | None:
    """The single value of an instant query, None while it has no series."""
    result = _api(client, "query", query=query)["result"]
    assert len(result) <= 1, result
    return float(result[0]["value"][1]) if result else None


def _targets_up(client: httpx.Client) -> dict[str, str]:
    targets = _api(client, "targets")["activeTargets"]
    return {t["labels"]["job"]: t["health"] for t in targets}


def test_every_service_is_scraped_and_up(prometheus: httpx.Client) -> None:
    wait_until(
        lambda: _targets_up(prometheus) == dict.fromkeys(SERVICES, "up"), 60, "targets up"
    )  # fmt: skip
    for service in SERVICES:
        assert _value(prometheus, f'up{{job="{service}"}}') == 1


def test_alert_rules_evaluate_on_real_series_without_error(prometheus: httpx.Client) -> None:
    def rules() -> list[dict]:
        groups = _api(prometheus, "rules")["groups"]
        return [rule for group in groups for rule in group["rules"]]

    # Evaluated at least once: Prometheus reports a zero time until then.
    wait_until(
        lambda: all(not r["lastEvaluation"].startswith("0001") for r in rules()), 30, "rules"
    )  # fmt: skip
    evaluated = rules()
    assert {r["name"] for r in evaluated} == {
        "ServiceDown", "JobFailureRate", "QueueBacklog", "QueueWithoutWorkers", "HighP95Latency",
    }  # fmt: skip
    assert [(r["name"], r.get("lastError")) for r in evaluated if r["health"] != "ok"] == []


def _cancel_leftovers(api: httpx.Client) -> None:
    """Jobs the fuzz test queued with random parameters (a sweep of thousands of combinations
    can hold every worker for minutes) are cancelled, so that ours run now."""
    for status in ("queued", "running"):
        for job in api.get("/jobs", params={"status": status, "limit": 200}).json()["items"]:
            api.post(f"/jobs/{job['id']}/cancel")


def test_job_metrics_move_when_jobs_finish(stack: Stack, prometheus: httpx.Client) -> None:
    finished = 'jobs_finished_total{kind="data_download",status="succeeded"}'
    wait_until(lambda: _value(prometheus, finished) is not None, 30, "job metrics scraped")
    before = _value(prometheus, finished)
    assert before is not None
    with httpx.Client(base_url=stack.gateway_url + "/api/v1", timeout=30) as api:
        _cancel_leftovers(api)
        ids = []
        for _ in range(2):
            resp = api.post("/data/downloads", json=DOWNLOAD)
            assert resp.status_code == 202, resp.text
            ids.append(resp.json()["job"]["id"])
        for job_id in ids:
            wait_until(
                lambda job_id=job_id: api.get(f"/jobs/{job_id}").json()["status"] == "succeeded",
                180, f"job {job_id}",
            )  # fmt: skip
    # Scraped each second: the counter reaches the two new jobs soon after they end.
    wait_until(lambda: (_value(prometheus, finished) or 0) >= before + 2, 30, "counter moves")
    rate = _value(prometheus, f"sum(increase({finished}[5m]))")
    assert rate is not None and rate > 0
    succeeded = _value(prometheus, 'jobs{kind="data_download",status="succeeded"}')
    assert succeeded is not None and succeeded >= before + 2
    assert _value(prometheus, 'job_duration_seconds_avg{kind="data_download",status="succeeded"}')


# Words of PromQL that are not metric names; functions and aggregations are told apart by the
# parenthesis that follows them.
KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless",
            "bool", "offset"}  # fmt: skip


def metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression reads (label names, functions and words removed)."""
    expr = expr.replace("$__rate_interval", "5m")  # a Grafana variable
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)  # string literals
    expr = re.sub(r"\{[^}]*\}|\[[^\]]*\]", "", expr)  # label matchers, ranges
    expr = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", expr)
    names = set()
    for found in re.finditer(r"(?<![\w.])[A-Za-z_:][A-Za-z0-9_:]*", expr):  # not 5m's "m"
        followed_by_call = expr[found.end() :].lstrip().startswith("(")
        if found.group() not in KEYWORDS and not followed_by_call:
            names.add(found.group())
    return names


def _used_metric_names() -> dict[str, set[str]]:
    """Every metric name read by a dashboard panel or an alert, with where it is read."""
    used: dict[str, set[str]] = {}
    for board in (ROOT / "grafana" / "provisioning" / "dashboards").glob("*.json"):
        for panel in json.loads(board.read_text())["panels"]:
            for target in panel.get("targets", []):
                for name in metric_names(target["expr"]):
                    used.setdefault(name, set()).add(f"{board.name}: {panel['title']}")
    alerts = yaml.safe_load((ROOT / "prometheus" / "alerts.yml").read_text())
    for group in alerts["groups"]:
        for rule in group["rules"]:
            for name in metric_names(rule["expr"]):
                used.setdefault(name, set()).add(f"alerts.yml: {rule['alert']}")
    return used


def test_every_metric_a_panel_or_alert_reads_is_scraped(
    stack: Stack, prometheus: httpx.Client
) -> None:
    # Jobs have finished by now (the test above), so every job series exists.
    wait_until(
        lambda: _targets_up(prometheus) == dict.fromkeys(SERVICES, "up"), 60, "targets up"
    )  # fmt: skip
    used = _used_metric_names()
    # The parse finds what a reader sees in these files (it would pass vacuously on nothing).
    assert {"up", "http_requests_total", "http_request_duration_seconds_bucket", "jobs",
            "jobs_finished_total", "queue_depth", "workers"} <= set(used)  # fmt: skip

    def missing() -> dict[str, set[str]]:
        scraped = set(_api(prometheus, "label/__name__/values"))
        return {name: where for name, where in used.items() if name not in scraped}

    wait_until(lambda: not missing(), 30, "every used metric scraped")
    assert missing() == {}


def test_metric_names_leave_out_functions_labels_and_words() -> None:
    expr = (
        'histogram_quantile(0.95, sum by (le, service) (rate(x_bucket{route!~".*/events"}[5m])))'
        " > 1 and on (queue) max without (job) (queue_depth offset 5m) / ignoring(kind) y"
    )
    assert metric_names(expr) == {"x_bucket", "queue_depth", "y"}
    assert metric_names("topk(8, sum by (route, le) (rate(z[$__rate_interval])))") == {"z"}
