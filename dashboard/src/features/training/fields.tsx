// Small controls of the training form, built on the simulation form's labelled Field.
import { type ReactNode, useEffect, useState } from "react";
import { Field } from "../simulations/BacktestFields";
import type { TrainingErrors, TrainingField } from "./form";

type NumberInputProps = {
  label: string;
  name: TrainingField;
  value: string;
  onChange: (value: string) => void;
  errors: TrainingErrors;
  hint?: string;
  min?: number;
  max?: number;
  step?: string;
};

export function NumberInput({
  label,
  name,
  value,
  onChange,
  errors,
  hint,
  ...range
}: NumberInputProps) {
  return (
    <Field label={label} name={name} errors={errors} hint={hint}>
      {(id, describedBy) => (
        <input
          id={id}
          type="number"
          aria-describedby={describedBy}
          aria-invalid={errors[name] ? true : undefined}
          min={range.min}
          max={range.max}
          step={range.step ?? "any"}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

type SelectInputProps<V extends string> = {
  label: string;
  name: TrainingField;
  value: V;
  options: readonly { value: V; label: string }[];
  onChange: (value: V) => void;
  errors: TrainingErrors;
  hint?: string;
};

export function SelectInput<V extends string>(props: SelectInputProps<V>) {
  const { label, name, value, options, onChange, errors, hint } = props;
  return (
    <Field label={label} name={name} errors={errors} hint={hint}>
      {(id, describedBy) => (
        <select
          id={id}
          aria-describedby={describedBy}
          value={value}
          onChange={(e) => onChange(e.target.value as V)}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** An advanced part of the form, folded away until wanted; opened when it holds an error so that
 * no message is hidden. */
export function Collapsible({
  title,
  summary,
  hasError,
  children,
}: { title: string; summary: string; hasError: boolean; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (hasError) setOpen(true);
  }, [hasError]);
  return (
    <details className="train-section" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        <span className="train-section-title">{title}</span>{" "}
        <span className="train-section-summary">{summary}</span>
        {hasError && <span className="field-error"> · needs a fix</span>}
      </summary>
      <div className="train-section-body">{children}</div>
    </details>
  );
}
