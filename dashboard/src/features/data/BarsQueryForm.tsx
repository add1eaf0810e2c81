// Which bars to chart: source, symbol, interval and an optional date range. Nothing is asked of the
// API while a field is invalid; a 422 that names a field is shown next to that field.
import { type FormEvent, useState } from "react";
import { ApiError, messageOf } from "../../api/errors";
import type { Source, SymbolInfo } from "../../api/types";
import { Field } from "../../components/ui/Field";
import { formatValue } from "../../lib/format";
import {
  type Selection,
  type SelectionErrors,
  type SelectionField,
  checkSelection,
} from "./selection";

type Props = {
  initial: Selection;
  sources: Source[];
  symbols: SymbolInfo[];
  onSourceChange: (source: string) => void;
  onSubmit: (selection: Selection) => void;
  /** the bars call's failure, shown next to the field it names */
  serverError?: unknown;
};

export function BarsQueryForm(props: Props) {
  const { initial, sources, symbols, onSourceChange, onSubmit, serverError } = props;
  const [values, setValues] = useState<Selection>(initial);
  const [errors, setErrors] = useState<SelectionErrors>({});
  const source = sources.find((s) => s.name === values.source);
  const intervals = source?.intervals ?? [values.interval];
  const known = symbols.find((s) => s.symbol === values.symbol.trim().toUpperCase());
  const serverField = fieldOf(serverError);
  const shown: SelectionErrors =
    serverField && !errors[serverField]
      ? { ...errors, [serverField]: messageOf(serverError) }
      : errors;

  const set = (field: SelectionField, value: string) =>
    setValues((v) => ({ ...v, [field]: value }));

  const changeSource = (name: string) => {
    const offered = sources.find((s) => s.name === name)?.intervals ?? [];
    setValues((v) => ({
      ...v,
      source: name,
      interval: offered.includes(v.interval) ? v.interval : (offered[0] ?? v.interval),
    }));
    onSourceChange(name);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = checkSelection(values, source?.intervals);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    onSubmit({ ...values, symbol: result.query.symbol });
  };

  return (
    <form className="form data-form" onSubmit={submit} noValidate aria-label="Bars to chart">
      <div className="grid">
        <Field label="Source" error={shown.source}>
          {(id, describedBy) => (
            <select
              id={id}
              aria-describedby={describedBy}
              value={values.source}
              onChange={(e) => changeSource(e.target.value)}
            >
              {(sources.length ? sources.map((s) => s.name) : [values.source]).map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label="Symbol"
          error={shown.symbol}
          hint={known ? rangeOf(known) : "e.g. SP500; pick from the list or type a ticker"}
        >
          {(id, describedBy) => (
            <>
              <input
                id={id}
                aria-describedby={describedBy}
                aria-invalid={shown.symbol ? true : undefined}
                list={`${id}-list`}
                autoComplete="off"
                value={values.symbol}
                onChange={(e) => set("symbol", e.target.value)}
              />
              <datalist id={`${id}-list`}>
                {symbols.map((s) => (
                  <option key={s.symbol} value={s.symbol}>
                    {s.name}
                  </option>
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field label="Interval" error={shown.interval}>
          {(id, describedBy) => (
            <select
              id={id}
              aria-describedby={describedBy}
              value={values.interval}
              onChange={(e) => set("interval", e.target.value)}
            >
              {intervals.map((interval) => (
                <option key={interval} value={interval}>
                  {interval}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Start" error={shown.start} hint="YYYY-MM-DD; empty: from the first bar">
          {(id, describedBy) => (
            <input
              id={id}
              aria-describedby={describedBy}
              aria-invalid={shown.start ? true : undefined}
              placeholder="YYYY-MM-DD"
              value={values.start}
              onChange={(e) => set("start", e.target.value)}
            />
          )}
        </Field>
        <Field label="End" error={shown.end} hint="YYYY-MM-DD; empty: to the last bar">
          {(id, describedBy) => (
            <input
              id={id}
              aria-describedby={describedBy}
              aria-invalid={shown.end ? true : undefined}
              placeholder="YYYY-MM-DD"
              value={values.end}
              onChange={(e) => set("end", e.target.value)}
            />
          )}
        </Field>
      </div>
      {serverError !== undefined && serverError !== null && !serverField && (
        <p className="state state-error" role="alert">
          {messageOf(serverError)}
        </p>
      )}
      <button type="submit" className="button">
        Show chart
      </button>
    </form>
  );
}

function rangeOf(symbol: SymbolInfo): string {
  if (!symbol.first || !symbol.last) return symbol.name;
  const rows = symbol.rows ? `, ${formatValue(symbol.rows, "count")} bars` : "";
  return `${symbol.name}: ${symbol.first} to ${symbol.last}${rows}`;
}

const FORM_FIELDS: readonly string[] = ["source", "symbol", "interval", "start", "end"];

function fieldOf(error: unknown): SelectionField | undefined {
  if (!(error instanceof ApiError) || !error.field) return undefined;
  return FORM_FIELDS.includes(error.field) ? (error.field as SelectionField) : undefined;
}
