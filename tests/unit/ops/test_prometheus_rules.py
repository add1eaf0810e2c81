"""The Prometheus files as promtool reads them: both configs load with their rule file, the
alerts parse, and their unit tests (prometheus/rules_test.yml) pass."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
PROMETHEUS = ROOT / "prometheus"


@pytest.fixture(scope="module")
def promtool() -> str:
    """promtool from the Debian package `prometheus`; CI installs it (.ci/run)."""
    found = shutil.which("promtool")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("promtool is not installed on CI: .ci/run installs the prometheus package")
        pytest.skip("promtool not installed (apt-get install prometheus)")
    return found


def _promtool(promtool: str, *args: str) -> str:
    run = subprocess.run(
        [promtool, *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    return run.stdout + run.stderr


@pytest.mark.parametrize("config", ["prometheus.yml", "local.yml"])
def test_config_loads_with_its_alerts(promtool: str, config: str) -> None:
    out = _promtool(promtool, "check", "config", f"prometheus/{config}")
    assert "1 rule files found" in out
    assert "5 rules found" in out


def test_alert_rules_are_valid(promtool: str) -> None:
    assert "5 rules found" in _promtool(promtool, "check", "rules", "prometheus/alerts.yml")


def test_each_alert_fires_when_it_should_and_only_then(promtool: str) -> None:
    _promtool(promtool, "test", "rules", "prometheus/rules_test.yml")


def _alerts() -> list[dict]:
    groups = yaml.safe_load((PROMETHEUS / "alerts.yml").read_text())["groups"]
    return [rule for group in groups for rule in group["rules"]]


def test_every_alert_says_how_bad_and_where_to_look() -> None:
    alerts = _alerts()
    assert {a["alert"] for a in alerts} == {
        "ServiceDown", "JobFailureRate", "QueueBacklog", "QueueWithoutWorkers", "HighP95Latency",
    }  # fmt: skip
    for alert in alerts:
        assert alert["labels"]["severity"] in {"critical", "warning"}, alert["alert"]
        assert set(alert["annotations"]) == {"summary", "description"}, alert["alert"]


def test_every_alert_is_unit_tested() -> None:
    tests = yaml.safe_load((PROMETHEUS / "rules_test.yml").read_text())["tests"]
    fired = {
        case["alertname"]
        for test in tests
        for case in test["alert_rule_test"]
        if case["exp_alerts"]
    }
    assert fired == {a["alert"] for a in _alerts()}


def test_compose_mounts_the_alerts_beside_the_config() -> None:
    """prometheus.yml names alerts.yml relative to itself: under Compose both must be mounted
    in one folder, or Prometheus refuses to start."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    volumes = compose["services"]["prometheus"]["volumes"]
    assert "./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro" in volumes
    assert "./prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro" in volumes
