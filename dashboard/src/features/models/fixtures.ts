// Test data shaped like the demo model the running platform registers (trimmed).
import type { Model, ModelDetail } from "../../api/types";

export function model(overrides: Partial<Model> = {}): Model {
  return {
    id: "m1",
    name: "demo-xgboost-sp500",
    version: 1,
    status: "ready",
    stage: "none",
    tags: [],
    note: "",
    framework: "xgboost",
    algorithm: "xgboost",
    task: "classification",
    symbols: ["SP500"],
    source: "builtin",
    interval: "1d",
    trained_from: "2010-03-16T00:00:00Z",
    trained_to: "2016-12-29T00:00:00Z",
    metrics: { oos_sharpe: 0.10753, oos_total_return_pct: 3.19534, validation_accuracy: 0.5051 },
    checksum: "sha256:3076",
    created_at: "2026-11-30T07:33:11Z",
    updated_at: "2026-11-30T07:33:11Z",
    training_id: null,
    owner: null,
    model_name: "demo-xgboost-sp500",
    trained_on: "2026-11-30T07:33:11Z",
    ...overrides,
  };
}

export function detail(overrides: Partial<ModelDetail> = {}): ModelDetail {
  return { ...model(), metadata: {}, ...overrides };
}
