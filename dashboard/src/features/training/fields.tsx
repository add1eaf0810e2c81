// Small controls of the training form, whose problems are looked up by their API name.
import { type ReactNode, useEffect, useState } from "react";
import { InputField, SelectField } from "../../components/ui/Inputs";
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

export function NumberInput({ name, errors, step, ...field }: NumberInputProps) {
  return <InputField {...field} type="number" step={step ?? "any"} error={errors[name]} />;
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

export function SelectInput<V extends string>({ name, errors, ...field }: SelectInputProps<V>) {
  return <SelectField {...field} error={errors[name]} />;
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
