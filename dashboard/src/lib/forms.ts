// How every request form treats its problems: checked in the browser before anything is sent,
// and a 422 from the API shown next to the field it names.
import { type FormEvent, useState } from "react";
import { messageOf } from "../api/errors";

type Errors<F extends string> = Partial<Record<F, string>>;
type Checked<F extends string, R> = { ok: true; request: R } | { ok: false; errors: Errors<F> };

/**
 * The form's errors and its submit handler: `check` runs on submit; its errors are kept for
 * display, and only a request that passed reaches `send`.
 */
export function useCheckedSubmit<F extends string, R>(
  check: () => Checked<F, R>,
  send: (request: R) => void,
) {
  const [errors, setErrors] = useState<Errors<F>>({});
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = check();
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    send(result.request);
  };
  return { errors, submit };
}

/** The errors to show: the form's own, and the API's message on the field it names unless the
 * form already has a problem there. */
export function withServerError<F extends string>(
  errors: Errors<F>,
  field: F | undefined,
  error: unknown,
): Errors<F> {
  return field && !errors[field] ? { ...errors, [field]: messageOf(error) } : errors;
}
