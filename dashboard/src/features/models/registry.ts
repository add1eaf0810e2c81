// The registry's query as it lives in the URL (so a filtered view can be shared and reloaded),
// and the headline figures a model is listed with.
import type { Model, ModelStage } from "../../api/types";
import { type Unit, formatValue } from "../../lib/format";

export const STAGES: readonly ModelStage[] = ["none", "staging", "production", "archived"];

export type RegistryQuery = {
  name: string;
  algorithm: string;
  stage: ModelStage | "";
  tag: string;
  /** created_at, name, version or metrics.<name>: what the API sorts by */
  sort: string;
  order: "asc" | "desc";
  offset: number;
};

export const DEFAULT_QUERY: RegistryQuery = {
  name: "",
  algorithm: "",
  stage: "",
  tag: "",
  sort: "created_at",
  order: "desc",
  offset: 0,
};

const FILTERS = ["name", "algorithm", "stage", "tag"] as const;
export type Filter = (typeof FILTERS)[number];

export function queryFromParams(params: URLSearchParams): RegistryQuery {
  const stage = params.get("stage") ?? "";
  const offset = Number(params.get("offset") ?? 0);
  return {
    name: params.get("name") ?? "",
    algorithm: params.get("algorithm") ?? "",
    stage: (STAGES as readonly string[]).includes(stage) ? (stage as ModelStage) : "",
    tag: params.get("tag") ?? "",
    sort: params.get("sort") || DEFAULT_QUERY.sort,
    order: params.get("order") === "asc" ? "asc" : "desc",
    offset: Number.isInteger(offset) && offset > 0 ? offset : 0,
  };
}

/** Only what differs from the defaults, so that a plain /models stays plain. */
export function paramsFromQuery(query: RegistryQuery): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of FILTERS) if (query[key]) params.set(key, query[key]);
  if (query.sort !== DEFAULT_QUERY.sort) params.set("sort", query.sort);
  if (query.order !== DEFAULT_QUERY.order) params.set("order", query.order);
  if (query.offset > 0) params.set("offset", String(query.offset));
  return params;
}

/** Clicking a column: the same column flips the order; a new one starts descending (best/newest
 * first), except text columns, which read naturally A→Z. */
export function nextSort(query: RegistryQuery, key: string): RegistryQuery {
  const order =
    query.sort === key
      ? query.order === "desc"
        ? "asc"
        : "desc"
      : key === "name"
        ? "asc"
        : "desc";
  return { ...query, sort: key, order, offset: 0 };
}

export type Headline = { key: string; label: string; value: string };

const OOS: { key: string; label: string; unit: Unit }[] = [
  { key: "oos_sharpe", label: "OOS Sharpe", unit: "ratio" },
  { key: "oos_total_return_pct", label: "OOS return", unit: "pct" },
];
// Without a walk-forward backtest (purged k-fold), the validation score is the headline.
const VALIDATION: { key: string; label: string; unit: Unit }[] = [
  { key: "validation_accuracy", label: "Validation accuracy", unit: "ratio" },
  { key: "validation_r2", label: "Validation R²", unit: "ratio" },
];

export function headlineMetrics(model: Pick<Model, "metrics">): Headline[] {
  const has = (key: string) => typeof model.metrics[key] === "number";
  const picked = OOS.some((m) => has(m.key)) ? OOS : VALIDATION.filter((m) => has(m.key));
  return picked.map((m) => ({
    key: m.key,
    label: m.label,
    value: formatValue(model.metrics[m.key], m.unit),
  }));
}

export function trainedRange(model: Pick<Model, "trained_from" | "trained_to">): string {
  if (!model.trained_from && !model.trained_to) return "—";
  return `${(model.trained_from ?? "").slice(0, 10)} → ${(model.trained_to ?? "").slice(0, 10)}`;
}
