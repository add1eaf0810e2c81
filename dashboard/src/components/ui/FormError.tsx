import { messageOf } from "../../api/errors";

/** A failed submission's message that names no field of the form, shown above its button. */
export function FormError({ error }: { error: unknown }) {
  if (error === undefined || error === null) return null;
  return (
    <p className="state state-error" role="alert">
      {messageOf(error)}
    </p>
  );
}
