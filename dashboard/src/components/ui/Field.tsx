import { type ReactNode, useId } from "react";

type Props = {
  label: string;
  error?: string | undefined;
  hint?: string;
  /** the control, given its id and the ids that describe it (hint, error) */
  children: (id: string, describedBy: string | undefined) => ReactNode;
};

/** A labelled control with its hint and, when invalid, its message right below it. */
export function Field({ label, error, hint, children }: Props) {
  const id = useId();
  const describedBy =
    [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field${error ? " field-invalid" : ""}`}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {children(id, describedBy)}
      {hint && (
        <small id={`${id}-hint`} className="hint">
          {hint}
        </small>
      )}
      {error && (
        <span id={`${id}-error`} className="field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
