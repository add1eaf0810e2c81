// The chart's selection lives in the URL (/data?source=builtin&symbol=SP500&start=…), so that a
// chart can be shared and a reload shows the same one. Checked here before any bars are asked for.
import type { BarsQuery } from "../charts/api";

export type Selection = {
  source: string;
  symbol: string;
  interval: string;
  start: string;
  end: string;
};

export type SelectionField = keyof Selection;
export type SelectionErrors = Partial<Record<SelectionField, string>>;

export const DEFAULT_SELECTION: Selection = {
  source: "builtin",
  symbol: "",
  interval: "1d",
  start: "",
  end: "",
};

const FIELDS: SelectionField[] = ["source", "symbol", "interval", "start", "end"];
const DATE = /^\d{4}-\d{2}-\d{2}$/;
// the API's rule for tickers (^GSPC, EURUSD=X, BTC-USD, GBM-DEMO): 1-32, not starting with '.'
export const SYMBOL = /^[A-Za-z0-9^=_-][A-Za-z0-9.^=_-]{0,31}$/;

export function selectionFrom(params: URLSearchParams): Selection {
  const out = { ...DEFAULT_SELECTION };
  for (const field of FIELDS) {
    const value = params.get(field)?.trim();
    if (value) out[field] = value;
  }
  return out;
}

/** The URL's search params for a selection; empty fields are left out. */
export function toSearchParams(selection: Selection): URLSearchParams {
  const params = new URLSearchParams();
  for (const field of FIELDS) {
    const value = selection[field].trim();
    if (value) params.set(field, value);
  }
  return params;
}

export type CheckedSelection =
  | { ok: true; query: BarsQuery }
  | { ok: false; errors: SelectionErrors };

/** Every problem with a selection, or the bars query it makes. */
export function checkSelection(
  selection: Selection,
  intervals: readonly string[] = [],
): CheckedSelection {
  const errors: SelectionErrors = {};
  const { source, symbol, interval, start, end } = trimmed(selection);
  if (!source) errors.source = "Choose a source.";
  if (!symbol) errors.symbol = "Give a symbol, e.g. SP500.";
  else if (!SYMBOL.test(symbol))
    errors.symbol = `"${symbol}" is not a symbol: 1–32 letters, digits and . ^ = _ - (not starting with ".").`;
  if (intervals.length > 0 && !intervals.includes(interval)) {
    errors.interval = `${source} offers ${intervals.join(", ")}; choose one of them.`;
  }
  for (const field of ["start", "end"] as const) {
    const value = field === "start" ? start : end;
    if (value && !isDate(value)) errors[field] = "Use a date as YYYY-MM-DD, or leave it empty.";
  }
  if (!errors.start && !errors.end && start && end && start > end) {
    errors.end = "The end must not come before the start.";
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const query: BarsQuery = { source, symbol, interval };
  if (start) query.start = start;
  if (end) query.end = end;
  return { ok: true, query };
}

function trimmed(selection: Selection): Selection {
  const out = { ...selection };
  for (const field of FIELDS) out[field] = selection[field].trim();
  return out;
}

export function isDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}
