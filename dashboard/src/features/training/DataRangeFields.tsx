// The source, symbols and date range of the training and study forms: picking a source also
// picks an interval it offers.
import type { Source } from "../../api/types";
import { InputField, SelectField } from "../../components/ui/Inputs";
import { intervalFor } from "../../lib/intervals";
import { SYMBOLS_HINT } from "../simulations/BacktestFields";

export type DataRange = {
  source: string;
  interval: string;
  symbols: string;
  start: string;
  end: string;
};

type Props = {
  values: DataRange;
  errors: Partial<Record<"source" | "symbols" | "start" | "end", string>>;
  sources: Source[];
  symbols: string[];
  update: (patch: Partial<DataRange>) => void;
  onSourceChange?: (source: string) => void;
};

export function DataRangeFields({
  values,
  errors,
  sources,
  symbols,
  update,
  onSourceChange,
}: Props) {
  return (
    <>
      <SelectField
        label="Source"
        error={errors.source}
        value={values.source}
        options={sources.length ? sources.map((s) => s.name) : [values.source]}
        onChange={(source) => {
          update({ source, interval: intervalFor(sources, source, values.interval) });
          onSourceChange?.(source);
        }}
      />
      <InputField
        label="Symbols"
        error={errors.symbols}
        hint={SYMBOLS_HINT}
        value={values.symbols}
        suggestions={symbols}
        onChange={(v) => update({ symbols: v })}
      />
      <InputField
        label="Start"
        error={errors.start}
        hint="YYYY-MM-DD"
        value={values.start}
        onChange={(v) => update({ start: v })}
      />
      <InputField
        label="End"
        error={errors.end}
        hint="YYYY-MM-DD"
        value={values.end}
        onChange={(v) => update({ end: v })}
      />
    </>
  );
}
