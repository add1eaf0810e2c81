"""Training through the gateway, end to end: train, register, simulate with the model, version,
promote, tag, download, delete; and a tampered artifact refused."""

from __future__ import annotations

import io
import json
import zipfile

import httpx
import pytest

from tests.support.processes import wait_until
from tests.support.stack import Stack

pytestmark = pytest.mark.integration

FINAL = {"succeeded", "failed", "cancelled"}
TRAINING = {
    "model_name": "it-xgb-sp500",
    "algorithm": "xgboost",
    "hyperparameters": {"n_estimators": 20, "max_depth": 2},
    "source": "builtin",
    "symbols": ["SP500"],
    "start": "2012-01-01",
    "end": "2015-12-31",
    "validation": {"n_folds": 3, "embargo_bars": 2},
    "costs": {"commission_rate": 0.0005, "slippage_bps": 2},
    "seed": 3,
}
METADATA_KEYS = {
    "model_name", "version", "checksum", "framework", "trained_on", "features", "metrics",
    "algorithm", "hyperparameters", "target", "data", "feature_spec", "validation", "backtest",
    "seed", "package_versions", "device", "training_seconds", "decision",
}  # fmt: skip


def _api(stack: Stack) -> httpx.Client:
    return httpx.Client(base_url=stack.gateway_url + "/api/v1", timeout=60)


def _wait(api: httpx.Client, path: str) -> dict:
    wait_until(lambda: api.get(path).json()["status"] in FINAL, 180, path)
    return api.get(path).json()


def _train(api: httpx.Client, body: dict) -> dict:
    resp = api.post("/trainings", json=body)
    assert resp.status_code == 202, resp.text
    training = _wait(api, f"/trainings/{resp.json()['training_id']}")
    assert training["status"] == "succeeded", training
    return training


def test_train_simulate_version_promote_download_delete(stack: Stack) -> None:
    with _api(stack) as api:
        first = _train(api, TRAINING)
        model = api.get(f"/models/{first['model_id']}").json()
        assert model["name"] == "it-xgb-sp500" and model["version"] == 1
        meta = model["metadata"]
        assert set(meta) >= METADATA_KEYS, METADATA_KEYS - set(meta)
        assert meta["checksum"] == model["checksum"]
        assert meta["data"]["fingerprint"].startswith("sha256:")
        assert len(meta["validation"]["folds"]) == 3
        assert {"train_accuracy", "validation_accuracy", "oos_sharpe"} <= set(meta["metrics"])
        assert meta["backtest"]["buy_and_hold"]["total_return_pct"] is not None
        assert first["report"]["metrics"] == meta["metrics"]

        # A simulation driven by the model, on later bars than it was trained on.
        sim_req = {
            "model_id": model["id"], "source": "builtin", "symbols": ["SP500"],
            "start": "2016-01-01", "end": "2018-06-30", "params": {"long_above": 0.5},
        }  # fmt: skip
        resp = api.post("/simulations", json=sim_req)
        assert resp.status_code == 202, resp.text
        sim = _wait(api, f"/simulations/{resp.json()['simulation_id']}")
        assert sim["status"] == "succeeded", sim
        assert sim["model_used"] == "it-xgb-sp500 v1"
        assert sim["total_trades"] is not None
        equity = api.get(f"/simulations/{sim['simulation_id']}/equity").json()["items"]
        assert equity[-1]["equity"] == pytest.approx(sim["portfolio_end"])
        warnings = sim["metrics"]["warnings"]
        assert not any("in-sample" in w for w in warnings), warnings
        # Its features warmed up on the bars before 2016, so it decides from the first bar.
        assert not any("warm up" in w for w in warnings), warnings
        _sweep_and_stress_the_model(api, sim_req, sim)

        second = _train(api, TRAINING)
        v2 = api.get(f"/models/{second['model_id']}").json()
        assert v2["version"] == 2 and v2["name"] == model["name"]
        # Same request, same seed, same CPU: the same model.
        assert v2["checksum"] == model["checksum"]
        assert v2["metrics"] == model["metrics"]

        assert api.patch(f"/models/{model['id']}", json={"stage": "production"}).status_code == 200
        promoted = api.patch(
            f"/models/{v2['id']}", json={"stage": "production", "tags": ["demo"], "note": "v2"}
        ).json()
        assert promoted["stage"] == "production" and promoted["tags"] == ["demo"]
        assert api.get(f"/models/{model['id']}").json()["stage"] == "archived"

        archive = api.get(f"/models/{v2['id']}/artifact")
        assert archive.status_code == 200
        names = zipfile.ZipFile(io.BytesIO(archive.content)).namelist()
        assert any(n.endswith("metadata.json") for n in names)

        refused = api.delete(f"/models/{v2['id']}")
        assert refused.status_code == 409
        assert api.delete(f"/models/{model['id']}").status_code == 200
        listed = api.get("/models", params={"name": model["name"]}).json()
        assert [m["version"] for m in listed["items"]] == [2]


def test_a_tampered_model_is_refused_and_bad_requests_name_the_field(stack: Stack) -> None:
    with _api(stack) as api:
        with_volume = [{"kind": "returns"}, {"kind": "volume_zscore", "params": {"period": 10}}]
        trained = _train(api, {**TRAINING, "model_name": "it-tamper", "algorithm": "random_forest",
                               "hyperparameters": {"n_estimators": 10}, "features": with_volume})  # fmt: skip
        model = api.get(f"/models/{trained['model_id']}").json()
        # AAPL's builtin bars are closes only: this model's volume feature cannot be built.
        close_only = api.post("/simulations", json={"model_id": model["id"], "symbols": ["AAPL"]})
        assert close_only.status_code == 422, close_only.text
        assert "volume" in close_only.json()["detail"]
        # Over its own training period the run is flagged in-sample.
        inside = api.post("/simulations", json={
            "model_id": model["id"], "symbols": ["SP500"], "start": "2014-01-01", "end": "2016-06-30",
        })  # fmt: skip
        flagged = _wait(api, f"/simulations/{inside.json()['simulation_id']}")
        assert any("in-sample" in w for w in flagged["metrics"]["warnings"]), flagged
        folder = stack.settings.artifacts_path / "it-tamper" / "v1"
        target = next(p for p in sorted(folder.iterdir()) if p.name != "metadata.json")
        data = bytearray(target.read_bytes())
        data[len(data) // 2] ^= 0x01
        target.write_bytes(bytes(data))
        resp = api.post("/simulations", json={"model_id": model["id"], "symbols": ["SP500"]})
        assert resp.status_code >= 400 and "checksum" in resp.json()["detail"], resp.text

        bad = [
            ({"algorithm": "nope"}, "algorithm"),
            ({"hyperparameters": {"n_estimators": -1}}, "hyperparameters.n_estimators"),
            ({"hyperparameters": {"max_depth": "deep"}}, "hyperparameters.max_depth"),
            ({"start": "2015-10-01"}, "validation"),
            ({"symbols": ["AAPL"], "features": [{"kind": "volume_zscore"}]}, "features"),
        ]
        for change, field in bad:
            resp = api.post("/trainings", json={**TRAINING, **change})
            assert resp.status_code == 422, (change, resp.text)
            assert resp.json().get("field", "").startswith(field), (change, resp.json())
        unknown = api.post("/simulations", json={"model_id": "no-such", "symbols": ["SP500"]})
        assert unknown.status_code == 404 and unknown.json()["field"] == "model_id"
        assert json.loads(api.get("/algorithms").text)["total"] >= 5


def _sweep_and_stress_the_model(api: httpx.Client, sim_req: dict, sim: dict) -> None:
    """A sweep over the decision rule's threshold, and a stress test of the model's run."""
    sweep = api.post("/sweeps", json={**sim_req, "grid": {"long_above": [0.45, 0.5, 0.55]}})
    assert sweep.status_code == 202, sweep.text
    done = _wait(api, f"/sweeps/{sweep.json()['sweep_id']}")
    assert done["status"] == "succeeded", done
    rows = api.get(f"/sweeps/{done['sweep_id']}/combinations").json()["items"]
    by_threshold = {r["params"]["long_above"]: r for r in rows}
    assert set(by_threshold) == {0.45, 0.5, 0.55}
    # The 0.5 combination is the simulation above, run again inside the sweep.
    assert by_threshold[0.5]["portfolio_end"] == pytest.approx(sim["portfolio_end"])
    bad = api.post("/sweeps", json={**sim_req, "grid": {"fast": [1, 2]}})
    assert bad.status_code == 422 and bad.json()["field"] == "grid.fast"

    stress = api.post(
        f"/simulations/{sim['simulation_id']}/stress",
        json={"n_scenarios": 10, "chunk_size": 5, "seed": 1, "methods": ["bootstrap"]},
    )
    assert stress.status_code == 202, stress.text
    result = _wait(api, f"/simulations/{sim['simulation_id']}/stress/{stress.json()['stress_id']}")
    assert result["status"] == "succeeded", result
    assert result["result"]["all"]["n_scenarios"] == 10
    assert result["result"]["baseline"]["portfolio_end"] == pytest.approx(sim["portfolio_end"])


def test_a_cancelled_training_stops_between_epochs_and_leaves_nothing(stack: Stack) -> None:
    slow = {
        **TRAINING, "model_name": "it-cancelled", "algorithm": "mlp",
        "hyperparameters": {"epochs": 1000, "hidden_units": 256, "batch_size": 32},
    }  # fmt: skip
    with _api(stack) as api:
        resp = api.post("/trainings", json=slow)
        assert resp.status_code == 202, resp.text
        job_id, training_id = resp.json()["job"]["id"], resp.json()["training_id"]
        # Wait until it is inside a fold's epochs, then cancel.
        wait_until(lambda: "fold 1/3" in api.get(f"/jobs/{job_id}").json()["message"], 120,
                   "training in its first fold")  # fmt: skip
        assert api.post(f"/jobs/{job_id}/cancel").status_code == 200
        training = _wait(api, f"/trainings/{training_id}")
        assert training["status"] == "cancelled" and training["model_id"] is None
        assert api.get("/models", params={"name": "it-cancelled"}).json()["total"] == 0
    store = stack.settings.artifacts_path
    assert not (store / "it-cancelled").exists()
    assert not [p for p in store.iterdir() if p.name.startswith(".")]
