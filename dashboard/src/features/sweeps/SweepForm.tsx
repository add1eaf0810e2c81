// The sweep form, built from the strategies the API offers: a grid per parameter, the number of
// combinations as it is typed, and nothing sent while a field is invalid or the grid too large.
import { useState } from "react";
import { ApiError } from "../../api/errors";
import type { Strategy, SweepRequest } from "../../api/types";
import { FormError } from "../../components/ui/FormError";
import { SelectField } from "../../components/ui/Inputs";
import { useCheckedSubmit, withServerError } from "../../lib/forms";
import { CostFields, MarketFields, fieldOf, isBacktestField } from "../simulations/BacktestFields";
import { GridParamFields } from "./GridParamFields";
import {
  METRICS,
  type Metric,
  type SweepFieldName,
  type SweepValues,
  checkSweep,
  initialGrids,
  initialSweepValues,
  liveCount,
  sweepable,
} from "./form";
import { MAX_COMBINATIONS, initialGrid } from "./grid";

type Props = {
  strategies: Strategy[];
  sources: string[];
  symbols: string[];
  onSourceChange?: (source: string) => void;
  onSubmit: (request: SweepRequest) => void;
  pending?: boolean;
  submitError?: unknown;
};

export function SweepForm(props: Props) {
  const { sources, symbols, onSourceChange, onSubmit, pending, submitError } = props;
  const strategies = sweepable(props.strategies);
  const [values, setValues] = useState<SweepValues>(() => initialSweepValues(strategies[0]));
  const { errors, submit } = useCheckedSubmit(
    () => checkSweep(values, strategies, symbols),
    onSubmit,
  );
  const strategy = strategies.find((s) => s.name === values.strategy);
  const serverField =
    submitError instanceof ApiError ? fieldOf(submitError.field, isSweepField) : undefined;
  const shown = withServerError(errors, serverField, submitError);
  const count = liveCount(values, strategy);

  const update = (patch: Partial<SweepValues>) => setValues((v) => ({ ...v, ...patch }));

  return (
    <form className="form" onSubmit={submit} noValidate aria-label="New sweep">
      <fieldset>
        <legend>Strategy and grid</legend>
        <div className="grid">
          <SelectField
            label="Strategy"
            error={shown.strategy}
            value={values.strategy}
            options={strategies.map((s) => s.name)}
            onChange={(name) => {
              const next = strategies.find((s) => s.name === name);
              update({ strategy: name, grid: initialGrids(next) });
            }}
          />
          <SelectField
            label="Rank by"
            error={shown.metric}
            hint="the objective the best combination maximises"
            value={values.metric}
            options={Object.entries(METRICS).map(([value, label]) => ({
              value: value as Metric,
              label,
            }))}
            onChange={(metric) => update({ metric })}
          />
        </div>
        {strategy && <p className="hint">{strategy.description}</p>}
        <div className="grid">
          {strategy &&
            Object.entries(strategy.params).map(([name, spec]) => (
              <GridParamFields
                key={`${strategy.name}.${name}`}
                name={name}
                spec={spec}
                input={values.grid[name] ?? initialGrid(spec, false)}
                error={shown[`grid.${name}`]}
                onChange={(input) => update({ grid: { ...values.grid, [name]: input } })}
              />
            ))}
        </div>
        <GridCount count={count} error={shown.grid} />
      </fieldset>

      <MarketFields
        values={values}
        update={update}
        errors={shown}
        sources={sources}
        symbols={symbols}
        onSourceChange={onSourceChange}
      />
      <CostFields values={values} update={update} errors={shown} />

      {!serverField && <FormError error={submitError} />}
      <button type="submit" className="button" disabled={pending}>
        {pending ? "Submitting…" : "Run sweep"}
      </button>
    </form>
  );
}

function GridCount({ count, error }: { count: number | undefined; error: string | undefined }) {
  const over = count !== undefined && count > MAX_COMBINATIONS;
  return (
    <div className="sweep-count">
      <output aria-live="polite" className={over ? "sweep-count-over" : undefined}>
        {countText(count, over)}
      </output>
      <small className="hint">
        Combinations the strategy refuses (e.g. fast ≥ slow) are skipped when the sweep runs.
      </small>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

function countText(count: number | undefined, over: boolean): string {
  if (count === undefined) return "Fix the grid to see how many combinations it holds.";
  const text = `${count.toLocaleString("en-US")} combination${count === 1 ? "" : "s"}`;
  return over ? `${text} — over the limit of ${MAX_COMBINATIONS.toLocaleString("en-US")}` : text;
}

function isSweepField(name: string): name is SweepFieldName {
  return (
    ["strategy", "metric", "grid"].includes(name) ||
    name.startsWith("grid.") ||
    isBacktestField(name)
  );
}
