// Warm the bar cache with a data_download job (e.g. yfinance tickers before a backtest), with the
// job's live progress and, when done, what each symbol now holds.
import { useState } from "react";
import { Link } from "react-router";
import { ApiError } from "../../api/errors";
import type { DownloadRequest, Job, Source } from "../../api/types";
import { FormError } from "../../components/ui/FormError";
import { InputField, SelectField } from "../../components/ui/Inputs";
import { useCheckedSubmit, withServerError } from "../../lib/forms";
import { intervalFor, offeredIntervals } from "../../lib/intervals";
import { ProgressBar, StatusBadge } from "../jobs/JobStatus";
import { useJobEvents } from "../jobs/useJobEvents";
import { type DownloadValues, checkDownload } from "./download";

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
  const { errors, submit } = useCheckedSubmit(() => checkDownload(values), onSubmit);
  const serverField =
    submitError instanceof ApiError && submitError.field && submitError.field in values
      ? (submitError.field as keyof DownloadValues)
      : undefined;
  const shown = withServerError(errors, serverField, submitError);
  const set = (field: keyof DownloadValues, value: string) =>
    setValues((v) => ({ ...v, [field]: value }));

  return (
    <form className="form data-form" onSubmit={submit} noValidate aria-label="Download bars">
      <div className="grid">
        <SelectField
          label="Download source"
          error={shown.source}
          value={values.source}
          options={sources.map((s) => ({
            value: s.name,
            label: s.offline ? s.name : `${s.name} (online)`,
          }))}
          onChange={(source) =>
            setValues((v) => ({ ...v, source, interval: intervalFor(sources, source, v.interval) }))
          }
        />
        <InputField
          label="Symbols to download"
          error={shown.symbols}
          hint="comma-separated, e.g. AAPL, SPY"
          value={values.symbols}
          onChange={(v) => set("symbols", v)}
        />
        <SelectField
          label="Download interval"
          error={shown.interval}
          value={values.interval}
          options={offeredIntervals(sources, values.source, values.interval)}
          onChange={(v) => set("interval", v)}
        />
        <InputField
          label="Download start"
          error={shown.start}
          hint="YYYY-MM-DD, optional"
          value={values.start}
          onChange={(v) => set("start", v)}
        />
        <InputField
          label="Download end"
          error={shown.end}
          hint="YYYY-MM-DD, optional"
          value={values.end}
          onChange={(v) => set("end", v)}
        />
      </div>
      {!serverField && <FormError error={submitError} />}
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
