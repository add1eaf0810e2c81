// Form pieces every backtest form shares (the simulation and the sweep forms): the market and the
// costs/execution fieldsets, and where an API error's field lands.
import { InputField, SelectField } from "../../components/ui/Inputs";
import type { BacktestFieldName, BacktestValues } from "./form";

type Errors<N extends string> = Partial<Record<N, string>>;

/** The backtest and training forms take several symbols as one comma-separated line. */
export const SYMBOLS_HINT = "Comma-separated, e.g. SP500, NASDAQ";

type NumberKey =
  | "commissionRate"
  | "slippageBps"
  | "spreadBps"
  | "positionSize"
  | "stopLoss"
  | "takeProfit";

/** The cost and execution numbers: label, API name (where its problem is filed), value, hint. */
const COST_FIELDS: { label: string; name: BacktestFieldName; key: NumberKey; hint?: string }[] = [
  {
    label: "Commission rate",
    name: "costs.commission_rate",
    key: "commissionRate",
    hint: "fraction of notional; 0.001 = 10 bps",
  },
  { label: "Slippage (bps)", name: "costs.slippage_bps", key: "slippageBps" },
  { label: "Spread (bps)", name: "costs.spread_bps", key: "spreadBps" },
  {
    label: "Position size",
    name: "execution.position_size",
    key: "positionSize",
    hint: "fraction of equity deployed",
  },
  {
    label: "Stop loss",
    name: "execution.stop_loss",
    key: "stopLoss",
    hint: "optional; 0.05 = 5% below entry",
  },
  {
    label: "Take profit",
    name: "execution.take_profit",
    key: "takeProfit",
    hint: "optional; 0.1 = 10% above entry",
  },
];

/** Changes some of the backtest values (the form keeps the rest). */
type UpdateBacktest = (patch: Partial<BacktestValues>) => void;

type FieldsetProps = {
  values: BacktestValues;
  update: UpdateBacktest;
  errors: Errors<BacktestFieldName>;
};

export function MarketFields({
  values,
  update,
  errors,
  sources,
  symbols,
  onSourceChange,
}: FieldsetProps & {
  sources: string[];
  symbols: string[];
  onSourceChange?: (source: string) => void;
}) {
  return (
    <fieldset>
      <legend>Market</legend>
      <div className="grid">
        <SelectField
          label="Source"
          error={errors.source}
          value={values.source}
          options={sources.length ? sources : [values.source]}
          onChange={(source) => {
            update({ source });
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
          hint="YYYY-MM-DD; blank: the latest bar"
          value={values.end}
          onChange={(v) => update({ end: v })}
        />
        <InputField
          label="Initial cash"
          error={errors.initial_cash}
          inputMode="decimal"
          value={values.initialCash}
          onChange={(v) => update({ initialCash: v })}
        />
      </div>
    </fieldset>
  );
}

export function CostFields({ values, update, errors }: FieldsetProps) {
  return (
    <fieldset>
      <legend>Costs and execution</legend>
      <div className="grid">
        {COST_FIELDS.map(({ label, name, key, hint }) => (
          <InputField
            key={name}
            label={label}
            error={errors[name]}
            hint={hint}
            inputMode="decimal"
            value={values[key]}
            onChange={(v) => update({ [key]: v })}
          />
        ))}
        <label className="field">
          <span className="field-label">Fill</span>
          <select
            value={values.fill}
            onChange={(e) => update({ fill: e.target.value as BacktestValues["fill"] })}
          >
            <option value="next_open">next open (honest)</option>
            <option value="close">close (optimistic)</option>
          </select>
        </label>
        <label className="field field-check">
          <input
            type="checkbox"
            checked={values.allowShort}
            onChange={(e) => update({ allowShort: e.target.checked })}
          />
          <span>Allow short positions</span>
        </label>
      </div>
    </fieldset>
  );
}

export const BACKTEST_FIELDS: readonly BacktestFieldName[] = [
  "source",
  "symbols",
  "start",
  "end",
  "initial_cash",
  "costs.commission_rate",
  "costs.slippage_bps",
  "costs.spread_bps",
  "execution.position_size",
  "execution.stop_loss",
  "execution.take_profit",
];

/**
 * The form field an API error names (the API may prefix the body's fields), or undefined when it
 * names none of the form's (e.g. a refused `Referer`), so that its message is shown on its own.
 */
export function fieldOf<N extends string>(
  field: string | null | undefined,
  isField: (name: string) => name is N,
): N | undefined {
  if (!field) return undefined;
  const name = field.replace(/^body\./, "");
  return isField(name) ? name : undefined;
}

export function isBacktestField(name: string): name is BacktestFieldName {
  return (BACKTEST_FIELDS as readonly string[]).includes(name);
}
