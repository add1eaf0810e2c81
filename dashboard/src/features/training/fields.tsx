// Small pieces of the training form: values tied to their controls, numbers, folded sections.
import { type ComponentProps, type ReactNode, useEffect, useState } from "react";
import { InputField } from "../../components/ui/Inputs";
import type { TrainingErrors, TrainingField, TrainingFormValues } from "./form";

export type SetValue = <K extends keyof TrainingFormValues>(
  key: K,
  value: TrainingFormValues[K],
) => void;

/**
 * Ties a form value to its control: its value, its setter and its problem, filed under the
 * field's API name (so that a 422 lands on the same control).
 */
export function binder(values: TrainingFormValues, set: SetValue, errors: TrainingErrors) {
  return <K extends keyof TrainingFormValues>(key: K, name: TrainingField) => ({
    value: values[key],
    onChange: (value: TrainingFormValues[K]) => set(key, value),
    error: errors[name],
  });
}

/** A number typed freely (any decimal) unless a step is given. */
export function NumberInput({ step, ...field }: ComponentProps<typeof InputField>) {
  return <InputField {...field} type="number" step={step ?? "any"} />;
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
