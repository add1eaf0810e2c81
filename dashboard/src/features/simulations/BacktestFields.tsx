// Form pieces every backtest form shares (the simulation and the sweep forms): a labelled field
// that shows its problem next to it, and the market and the costs/execution fieldsets.
import type { ReactNode } from "react";
import { Field as LabelledField } from "../../components/ui/Field";
import type { BacktestFieldName, BacktestValues } from "./form";

type Errors<N extends string> = Partial<Record<N, string>>;

type FieldProps<N extends string> = {
  label: string;
  name: N;
  errors: Errors<N>;
  hint?: string;
  children: (id: string, describedBy: string | undefined) => ReactNode;
};

/** A labelled field whose problem is looked up by its API name in the form's errors. */
export function Field<N extends string>({ label, name, errors, hint, children }: FieldProps<N>) {
  return (
    <LabelledField label={label} error={errors[name]} hint={hint}>
      {children}
    </LabelledField>
  );
}

type NumberFieldProps<N extends string> = {
  label: string;
  name: N;
  value: string;
  onChange: (value: string) => void;
  errors: Errors<N>;
  hint?: string;
  integer?: boolean;
};

export function NumberField<N extends string>(props: NumberFieldProps<N>) {
  const { label, name, value, onChange, errors, hint, integer } = props;
  return (
    <Field label={label} name={name} errors={errors} hint={hint}>
      {(id, describedBy) => (
        <input
          id={id}
          aria-describedby={describedBy}
          aria-invalid={errors[name] ? true : undefined}
          inputMode={integer ? "numeric" : "decimal"}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

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
        <Field label="Source" name="source" errors={errors}>
          {(id, describedBy) => (
            <select
              id={id}
              aria-describedby={describedBy}
              value={values.source}
              onChange={(e) => {
                update({ source: e.target.value });
                onSourceChange?.(e.target.value);
              }}
            >
              {(sources.length ? sources : [values.source]).map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label="Symbols"
          name="symbols"
          errors={errors}
          hint="Comma-separated, e.g. SP500, NASDAQ"
        >
          {(id, describedBy) => (
            <>
              <input
                id={id}
                aria-describedby={describedBy}
                list={`${id}-list`}
                value={values.symbols}
                onChange={(e) => update({ symbols: e.target.value })}
              />
              <datalist id={`${id}-list`}>
                {symbols.map((s) => (
                  <option key={s} value={s} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field label="Start" name="start" errors={errors} hint="YYYY-MM-DD">
          {(id, describedBy) => (
            <input
              id={id}
              aria-describedby={describedBy}
              value={values.start}
              onChange={(e) => update({ start: e.target.value })}
            />
          )}
        </Field>
        <Field label="End" name="end" errors={errors} hint="YYYY-MM-DD; blank: the latest bar">
          {(id, describedBy) => (
            <input
              id={id}
              aria-describedby={describedBy}
              value={values.end}
              onChange={(e) => update({ end: e.target.value })}
            />
          )}
        </Field>
        <Field label="Initial cash" name="initial_cash" errors={errors}>
          {(id, describedBy) => (
            <input
              id={id}
              aria-describedby={describedBy}
              inputMode="decimal"
              value={values.initialCash}
              onChange={(e) => update({ initialCash: e.target.value })}
            />
          )}
        </Field>
      </div>
    </fieldset>
  );
}

export function CostFields({ values, update, errors }: FieldsetProps) {
  return (
    <fieldset>
      <legend>Costs and execution</legend>
      <div className="grid">
        <NumberField
          label="Commission rate"
          name="costs.commission_rate"
          hint="fraction of notional; 0.001 = 10 bps"
          value={values.commissionRate}
          onChange={(v) => update({ commissionRate: v })}
          errors={errors}
        />
        <NumberField
          label="Slippage (bps)"
          name="costs.slippage_bps"
          value={values.slippageBps}
          onChange={(v) => update({ slippageBps: v })}
          errors={errors}
        />
        <NumberField
          label="Spread (bps)"
          name="costs.spread_bps"
          value={values.spreadBps}
          onChange={(v) => update({ spreadBps: v })}
          errors={errors}
        />
        <NumberField
          label="Position size"
          name="execution.position_size"
          hint="fraction of equity deployed"
          value={values.positionSize}
          onChange={(v) => update({ positionSize: v })}
          errors={errors}
        />
        <NumberField
          label="Stop loss"
          name="execution.stop_loss"
          hint="optional; 0.05 = 5% below entry"
          value={values.stopLoss}
          onChange={(v) => update({ stopLoss: v })}
          errors={errors}
        />
        <NumberField
          label="Take profit"
          name="execution.take_profit"
          hint="optional; 0.1 = 10% above entry"
          value={values.takeProfit}
          onChange={(v) => update({ takeProfit: v })}
          errors={errors}
        />
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
