// The two controls most form fields are: a text (or number) input and a select, each labelled by
// `Field` with its hint and, when invalid, its message below it.
import type { InputHTMLAttributes } from "react";
import { Field } from "./Field";

/** A choice given as its value alone, or with the text shown for it. */
export type Choice<V extends string = string> = V | { value: V; label: string };

const choiceValue = <V extends string>(choice: Choice<V>): V =>
  typeof choice === "string" ? choice : choice.value;

type Labelled = { label: string; error?: string | undefined; hint?: string | undefined };

type InputFieldProps = Labelled &
  Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "value" | "onChange" | "list"> & {
    value: string;
    onChange: (value: string) => void;
    /** offered as the input is typed (a datalist); free text is still allowed */
    suggestions?: readonly Choice[];
  };

export function InputField({
  label,
  error,
  hint,
  value,
  onChange,
  suggestions,
  ...input
}: InputFieldProps) {
  return (
    <Field label={label} error={error} hint={hint}>
      {(id, describedBy) => (
        <>
          <input
            {...input}
            id={id}
            aria-describedby={describedBy}
            aria-invalid={error ? true : undefined}
            list={suggestions ? `${id}-list` : undefined}
            value={value}
            onChange={(e) => onChange(e.target.value)}
          />
          {suggestions && (
            <datalist id={`${id}-list`}>
              {suggestions.map((s) =>
                typeof s === "string" ? (
                  <option key={s} value={s} />
                ) : (
                  <option key={s.value} value={s.value}>
                    {s.label}
                  </option>
                ),
              )}
            </datalist>
          )}
        </>
      )}
    </Field>
  );
}

type SelectFieldProps<V extends string> = Labelled & {
  value: V;
  options: readonly Choice<V>[];
  onChange: (value: V) => void;
};

export function SelectField<V extends string>(props: SelectFieldProps<V>) {
  const { label, error, hint, value, options, onChange } = props;
  return (
    <Field label={label} error={error} hint={hint}>
      {(id, describedBy) => (
        <select
          id={id}
          aria-describedby={describedBy}
          aria-invalid={error ? true : undefined}
          value={value}
          // the options are the only values a select can take
          onChange={(e) => onChange(e.target.value as V)}
        >
          {options.map((o) => (
            <option key={choiceValue(o)} value={choiceValue(o)}>
              {typeof o === "string" ? o : o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
