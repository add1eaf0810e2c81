// One strategy parameter's grid: a single value, a start/stop/step range or a list of values.
import { useId } from "react";
import type { StrategyParam } from "../../api/types";
import type { GridInput, GridMode } from "./grid";

const MODES: Record<GridMode, string> = {
  fixed: "one value",
  range: "range (start, stop, step)",
  list: "list of values",
};

type Props = {
  name: string;
  spec: StrategyParam;
  input: GridInput;
  error: string | undefined;
  onChange: (input: GridInput) => void;
};

export function GridParamFields({ name, spec, input, error, onChange }: Props) {
  const id = useId();
  const set = (patch: Partial<GridInput>) => onChange({ ...input, ...patch });
  const describedBy = [`${id}-hint`, error ? `${id}-error` : ""].filter(Boolean).join(" ");
  const text = (key: "value" | "start" | "stop" | "step" | "list", label: string) => (
    <label className="field">
      <span className="field-label">{label}</span>
      <input
        aria-label={`${name} ${label.toLowerCase()}`}
        aria-describedby={describedBy}
        aria-invalid={error ? true : undefined}
        inputMode={key === "list" ? "text" : spec.integer ? "numeric" : "decimal"}
        value={input[key]}
        onChange={(e) => set({ [key]: e.target.value })}
      />
    </label>
  );
  return (
    <fieldset className={`grid-param${error ? " field-invalid" : ""}`}>
      <legend>{name}</legend>
      <div className="grid-param-row">
        <label className="field grid-param-mode">
          <span className="field-label">Values</span>
          <select
            aria-label={`${name} values`}
            value={input.mode}
            onChange={(e) => set({ mode: e.target.value as GridMode })}
          >
            {Object.entries(MODES).map(([mode, label]) => (
              <option key={mode} value={mode}>
                {label}
              </option>
            ))}
          </select>
        </label>
        {input.mode === "fixed" && text("value", "Value")}
        {input.mode === "range" && (
          <>
            {text("start", "Start")}
            {text("stop", "Stop")}
            {text("step", "Step")}
          </>
        )}
        {input.mode === "list" && text("list", "List")}
      </div>
      <small id={`${id}-hint`} className="hint">
        {spec.integer ? "whole numbers " : ""}
        {spec.min}–{spec.max}, default {spec.default}. {spec.description}
      </small>
      {error && (
        <span id={`${id}-error`} className="field-error" role="alert">
          {error}
        </span>
      )}
    </fieldset>
  );
}
