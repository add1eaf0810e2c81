// Which bars to chart: source, symbol, interval and an optional date range. Nothing is asked of the
// API while a field is invalid; a 422 that names a field is shown next to that field.
import { type FormEvent, useState } from "react";
import { ApiError } from "../../api/errors";
import type { Source, SymbolInfo } from "../../api/types";
import { FormError } from "../../components/ui/FormError";
import { InputField, SelectField } from "../../components/ui/Inputs";
import { formatValue } from "../../lib/format";
import { withServerError } from "../../lib/forms";
import { intervalFor, offeredIntervals } from "../../lib/intervals";
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
  const known = symbols.find((s) => s.symbol === values.symbol.trim().toUpperCase());
  const serverField = fieldOf(serverError);
  const shown = withServerError(errors, serverField, serverError);

  const set = (field: SelectionField, value: string) =>
    setValues((v) => ({ ...v, [field]: value }));

  const changeSource = (name: string) => {
    setValues((v) => ({ ...v, source: name, interval: intervalFor(sources, name, v.interval) }));
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
        <SelectField
          label="Source"
          error={shown.source}
          value={values.source}
          options={sources.length ? sources.map((s) => s.name) : [values.source]}
          onChange={changeSource}
        />
        <InputField
          label="Symbol"
          error={shown.symbol}
          hint={known ? rangeOf(known) : "e.g. SP500; pick from the list or type a ticker"}
          autoComplete="off"
          value={values.symbol}
          suggestions={symbols.map((s) => ({ value: s.symbol, label: s.name }))}
          onChange={(v) => set("symbol", v)}
        />
        <SelectField
          label="Interval"
          error={shown.interval}
          value={values.interval}
          options={offeredIntervals(sources, values.source, values.interval)}
          onChange={(v) => set("interval", v)}
        />
        <InputField
          label="Start"
          error={shown.start}
          hint="YYYY-MM-DD; empty: from the first bar"
          placeholder="YYYY-MM-DD"
          value={values.start}
          onChange={(v) => set("start", v)}
        />
        <InputField
          label="End"
          error={shown.end}
          hint="YYYY-MM-DD; empty: to the last bar"
          placeholder="YYYY-MM-DD"
          value={values.end}
          onChange={(v) => set("end", v)}
        />
      </div>
      {!serverField && <FormError error={serverError} />}
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
