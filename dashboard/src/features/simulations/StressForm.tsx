// The stress test form: nothing is sent while a field is invalid, and each problem (the browser's
// or the API's 422) is shown next to its field.
import { useId, useState } from "react";
import { ApiError } from "../../api/errors";
import type { StressRequest } from "../../api/types";
import { FormError } from "../../components/ui/FormError";
import { InputField } from "../../components/ui/Inputs";
import { useCheckedSubmit, withServerError } from "../../lib/forms";
import {
  MAX_SCENARIOS,
  STRESS_DEFAULTS,
  STRESS_METHODS,
  type StressField,
  type StressValues,
  checkStress,
} from "./stressForm";

type Props = {
  onSubmit: (request: StressRequest) => void;
  pending?: boolean;
  submitError?: unknown;
};

const METHOD_LABELS: Record<(typeof STRESS_METHODS)[number], string> = {
  bootstrap: "Block bootstrap of returns",
  garch: "GARCH(1,1) simulated returns",
};

export function StressForm({ onSubmit, pending, submitError }: Props) {
  const [values, setValues] = useState<StressValues>(STRESS_DEFAULTS);
  const { errors, submit } = useCheckedSubmit(() => checkStress(values), onSubmit);
  const serverField = submitError instanceof ApiError ? fieldOf(submitError.field) : undefined;
  const shown = withServerError(errors, serverField, submitError);
  const set = <K extends keyof StressValues>(key: K, value: StressValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));

  const text = (label: string, name: StressField, key: keyof StressValues, hint?: string) => (
    <InputField
      label={label}
      error={shown[name]}
      hint={hint}
      inputMode={name.endsWith("multipliers") || name === "extra_delay_bars" ? "text" : "numeric"}
      value={values[key] as string}
      onChange={(v) => set(key, v)}
    />
  );

  return (
    <form className="form" onSubmit={submit} noValidate aria-label="New stress test">
      <fieldset>
        <legend>Scenarios</legend>
        <div className="grid">
          {text(
            "Scenarios",
            "n_scenarios",
            "nScenarios",
            `10–${MAX_SCENARIOS.toLocaleString("en-US")} paths`,
          )}
          {text("Block size", "block_size", "blockSize", "bars per bootstrap block, 1–500")}
          {text("Seed", "seed", "seed", "same seed, same scenarios")}
        </div>
        <MethodChoice
          chosen={values.methods}
          error={shown.methods}
          onChange={(methods) => set("methods", methods)}
        />
      </fieldset>
      <fieldset>
        <legend>Shocks (each scenario draws one of each list)</legend>
        <div className="grid">
          {text(
            "Commission multipliers",
            "commission_multipliers",
            "commissionMultipliers",
            "e.g. 1, 2",
          )}
          {text("Slippage multipliers", "slippage_multipliers", "slippageMultipliers", "e.g. 1, 3")}
          {text(
            "Extra delay (bars)",
            "extra_delay_bars",
            "extraDelayBars",
            "whole bars 0–50, e.g. 0, 1",
          )}
        </div>
      </fieldset>
      {!serverField && <FormError error={submitError} />}
      <button type="submit" className="button" disabled={pending}>
        {pending ? "Submitting…" : "Run stress test"}
      </button>
    </form>
  );
}

function MethodChoice({
  chosen,
  error,
  onChange,
}: {
  chosen: StressValues["methods"];
  error: string | undefined;
  onChange: (methods: StressValues["methods"]) => void;
}) {
  const errorId = useId();
  return (
    <fieldset
      className={`stress-methods${error ? " field-invalid" : ""}`}
      aria-describedby={error ? errorId : undefined}
    >
      <legend>Methods</legend>
      {STRESS_METHODS.map((method) => (
        <label key={method} className="field field-check">
          <input
            type="checkbox"
            checked={chosen.includes(method)}
            onChange={(e) =>
              onChange(e.target.checked ? [...chosen, method] : chosen.filter((m) => m !== method))
            }
          />
          <span>
            {method} <span className="muted">· {METHOD_LABELS[method]}</span>
          </span>
        </label>
      ))}
      {error && (
        <span id={errorId} className="field-error" role="alert">
          {error}
        </span>
      )}
    </fieldset>
  );
}

/** The form field a server-side 422 names (the API may prefix the body's fields). */
function fieldOf(field: string | null | undefined): StressField | undefined {
  if (!field) return undefined;
  const name = field.replace(/^body\./, "").split(".")[0];
  const known: StressField[] = [
    "n_scenarios",
    "methods",
    "block_size",
    "commission_multipliers",
    "slippage_multipliers",
    "extra_delay_bars",
    "seed",
  ];
  return known.find((k) => k === name);
}
