// Upload a CSV or Parquet file of daily bars. Problems found before sending, and the API's own
// validation errors (a bad cell, a missing column), are shown next to the field they concern.
import { type FormEvent, useRef, useState } from "react";
import { Link } from "react-router";
import { ApiError, messageOf } from "../../api/errors";
import type { Upload } from "../../api/types";
import { Field } from "../../components/ui/Field";
import { InputField } from "../../components/ui/Inputs";
import { formatValue } from "../../lib/format";
import type { UploadInput } from "./api";
import { type UploadErrors, checkUpload } from "./upload";

type Props = {
  onUpload: (input: UploadInput) => void;
  pending?: boolean;
  uploaded?: Upload | undefined;
  uploadError?: unknown;
  /** a new file or symbol makes the last answer stale */
  onEdit?: () => void;
};

export function UploadForm({ onUpload, pending, uploaded, uploadError, onEdit }: Props) {
  const fileInput = useRef<HTMLInputElement>(null);
  const [symbol, setSymbol] = useState("");
  const [errors, setErrors] = useState<UploadErrors>({});
  const shown = withServerError(errors, uploadError);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = checkUpload(fileInput.current?.files?.[0], symbol);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    onUpload({ file: result.file, symbol: result.symbol });
  };

  return (
    <form className="form data-form" onSubmit={submit} noValidate aria-label="Upload bars">
      <p className="upload-help">
        Daily bars as CSV or Parquet, up to 50 MiB: a <code>date</code> column with{" "}
        <code>open</code>, <code>high</code>, <code>low</code>, <code>close</code> and, if you have
        it, <code>volume</code>. They are stored as source <code>files</code>.
      </p>
      <div className="grid">
        <Field label="File" error={shown.file} hint=".csv or .parquet">
          {(id, describedBy) => (
            <input
              id={id}
              ref={fileInput}
              type="file"
              accept=".csv,.txt,.parquet,.pq,text/csv"
              aria-describedby={describedBy}
              aria-invalid={shown.file ? true : undefined}
              onChange={() => {
                setErrors({});
                onEdit?.();
              }}
            />
          )}
        </Field>
        <InputField
          label="Symbol (optional)"
          error={shown.symbol}
          hint="defaults to the file's name"
          autoComplete="off"
          value={symbol}
          onChange={(v) => {
            setSymbol(v);
            onEdit?.();
          }}
        />
      </div>
      <button type="submit" className="button" disabled={pending}>
        {pending ? "Uploading…" : "Upload"}
      </button>
      {uploaded && !pending && <Stored upload={uploaded} />}
    </form>
  );
}

function Stored({ upload }: { upload: Upload }) {
  const chart = `/data?${new URLSearchParams({ source: upload.source, symbol: upload.symbol })}`;
  return (
    <output className="upload-done" aria-live="polite">
      Stored <strong>{upload.symbol}</strong> in <code>{upload.source}</code>:{" "}
      {formatValue(upload.rows, "count")} bars from {upload.first} to {upload.last} (
      {upload.fields.join(", ")}). <Link to={chart}>Chart {upload.symbol}</Link>
    </output>
  );
}

/** The API's error lands on the field it names; a bad file's content belongs to the file. */
function withServerError(errors: UploadErrors, error: unknown): UploadErrors {
  if (error === undefined || error === null || errors.file || errors.symbol) return errors;
  const field = error instanceof ApiError && error.field === "symbol" ? "symbol" : "file";
  return { ...errors, [field]: messageOf(error) };
}
