// Warm the bar cache with a data_download job (e.g. yfinance tickers before a backtest), with the
// job's live progress and, when done, what each symbol now holds.
import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import { ApiError, messageOf } from "../../api/errors";
import type { DownloadRequest, Job, Source } from "../../api/types";
import { Field } from "../../components/ui/Field";
import { ProgressBar, StatusBadge } from "../jobs/JobStatus";
import { useJobEvents } from "../jobs/useJobEvents";
import { type DownloadErrors, type DownloadValues, checkDownload } from "./download";

type Props = {
  sources: Source[];
  onSubmit: (request: DownloadRequest) => void;
  pending?: boolean;
  submitError?: unknown;
  job?: Job | undefined;
};

export function DownloadForm({ sources, onSubmit, pending, submitError, job }: Props) {
  const [values, setValues] = useState<DownloadValues>({
    source: sources.find((s) => !s.offline)?.name ?? sources[0]?.name ?? "builtin",
    symbols: "",
    interval: "1d",
    start: "",
    end: "",
  });
  const [errors, setErrors] = useState<DownloadErrors>({});
  const intervals = sources.find((s) => s.name === values.source)?.intervals ?? ["1d"];
  const serverField =
    submitError instanceof ApiError && submitError.field && submitError.field in values
      ? (submitError.field as keyof DownloadValues)
      : undefined;
  const shown: DownloadErrors =
    serverField && !errors[serverField]
      ? { ...errors, [serverField]: messageOf(submitError) }
      : errors;
  const set = (field: keyof DownloadValues, value: string) =>
    setValues((v) => ({ ...v, [field]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = checkDownload(values);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    onSubmit(result.request);
  };

  return (
    <form className="form data-form" onSubmit={submit} noValidate aria-label="Download bars">
      <div className="grid">
        <Field label="Download source" error={shown.source}>
          {(id, describedBy) => (
            <select
              id={id}
              aria-describedby={describedBy}
              value={values.source}
              onChange={(e) => {
                const offered = sources.find((s) => s.name === e.target.value)?.intervals ?? [];
                setValues((v) => ({
                  ...v,
                  source: e.target.value,
                  interval: offered.includes(v.interval) ? v.interval : (offered[0] ?? "1d"),
                }));
              }}
            >
              {sources.map((s) => (
                <option key={s.name} value={s.name}>
                  {s.name}
                  {s.offline ? "" : " (online)"}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label="Symbols to download"
          error={shown.symbols}
          hint="comma-separated, e.g. AAPL, SPY"
        >
          {(id, describedBy) => (
            <input
              id={id}
              aria-describedby={describedBy}
              aria-invalid={shown.symbols ? true : undefined}
              value={values.symbols}
              onChange={(e) => set("symbols", e.target.value)}
            />
          )}
        </Field>
        <Field label="Download interval" error={shown.interval}>
          {(id, describedBy) => (
            <select
              id={id}
              aria-describedby={describedBy}
              value={values.interval}
              onChange={(e) => set("interval", e.target.value)}
            >
              {intervals.map((i) => (
                <option key={i} value={i}>
                  {i}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Download start" error={shown.start} hint="YYYY-MM-DD, optional">
          {(id, describedBy) => (
            <input
              id={id}
              aria-describedby={describedBy}
              value={values.start}
              onChange={(e) => set("start", e.target.value)}
            />
          )}
        </Field>
        <Field label="Download end" error={shown.end} hint="YYYY-MM-DD, optional">
          {(id, describedBy) => (
            <input
              id={id}
              aria-describedby={describedBy}
              value={values.end}
              onChange={(e) => set("end", e.target.value)}
            />
          )}
        </Field>
      </div>
      {submitError !== undefined && submitError !== null && !serverField && (
        <p className="state state-error" role="alert">
          {messageOf(submitError)}
        </p>
      )}
      <button type="submit" className="button" disabled={pending}>
        {pending ? "Submitting…" : "Download"}
      </button>
      {job && <DownloadProgress accepted={job} />}
    </form>
  );
}

function DownloadProgress({ accepted }: { accepted: Job }) {
  const job = useJobEvents(accepted.id, true) ?? accepted;
  const source = String(job.params.source ?? "");
  return (
    <div className="download-job" aria-live="polite">
      <p>
        Download job <code>{job.id.slice(0, 8)}</code> <StatusBadge status={job.status} />
      </p>
      {job.status === "failed" ? (
        <p className="state state-error">{job.error ?? job.message}</p>
      ) : (
        <ProgressBar job={job} />
      )}
      {job.status === "succeeded" && (
        <ul className="download-result">
          {downloaded(job).map(({ symbol, rows }) => (
            <li key={symbol}>
              <Link
                to={`/data?${new URLSearchParams({ source, symbol, interval: String(job.params.interval ?? "1d") })}`}
              >
                {symbol}
              </Link>
              {rows !== undefined && ` · ${rows} bars`}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The symbols a finished download job reports (result.symbols: {SYMBOL: {rows, …}}). */
function downloaded(job: Job): { symbol: string; rows: number | undefined }[] {
  const symbols = job.result?.symbols;
  if (typeof symbols !== "object" || symbols === null) return [];
  return Object.entries(symbols as Record<string, { rows?: unknown }>).map(([symbol, info]) => ({
    symbol,
    rows: typeof info?.rows === "number" ? info.rows : undefined,
  }));
}
