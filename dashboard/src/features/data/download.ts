// The download form's values, checked as DownloadRequest will be: 1-100 symbols, dates in order.
import type { DownloadRequest } from "../../api/types";
import { SYMBOL, isDate } from "./selection";

export const MAX_DOWNLOAD_SYMBOLS = 100;

export type DownloadValues = {
  source: string;
  symbols: string;
  interval: string;
  start: string;
  end: string;
};
export type DownloadErrors = Partial<Record<keyof DownloadValues, string>>;

export type CheckedDownload =
  | { ok: true; request: DownloadRequest }
  | { ok: false; errors: DownloadErrors };

export function checkDownload(values: DownloadValues): CheckedDownload {
  const errors: DownloadErrors = {};
  const symbols = values.symbols.split(/[\s,]+/).filter((s) => s.length > 0);
  const bad = symbols.find((s) => !SYMBOL.test(s));
  if (!values.source) errors.source = "Choose a source.";
  if (symbols.length === 0) errors.symbols = "Give at least one symbol, e.g. SP500.";
  else if (bad) errors.symbols = `"${bad}" is not a symbol: letters, digits and . ^ = _ - only.`;
  else if (symbols.length > MAX_DOWNLOAD_SYMBOLS)
    errors.symbols = `At most ${MAX_DOWNLOAD_SYMBOLS} symbols a job; split the list.`;
  const start = values.start.trim();
  const end = values.end.trim();
  if (start && !isDate(start)) errors.start = "Use a date as YYYY-MM-DD, or leave it empty.";
  if (end && !isDate(end)) errors.end = "Use a date as YYYY-MM-DD, or leave it empty.";
  if (!errors.start && !errors.end && start && end && start > end) {
    errors.end = "The end must not come before the start.";
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    request: {
      source: values.source,
      symbols,
      interval: values.interval,
      start: start || null,
      end: end || null,
    },
  };
}
