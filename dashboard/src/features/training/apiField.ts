// Which form field an API 422 belongs to. The API names the field (`hyperparameters.max_depth`,
// `features[0]` or just `decision` for a rule across fields); the form shows its message there,
// or above the submit button when no field on screen matches.
import type { ApiError } from "../../api/errors";

/** The shown field that `error.field` names, or undefined when none does. */
export function fieldOfApiError<F extends string>(
  error: Pick<ApiError, "field" | "message">,
  shown: readonly F[],
): F | undefined {
  if (!error.field) return undefined;
  const path = error.field
    .replace(/^body\./, "")
    .replace(/\[(\d+)\]/g, ".$1")
    .split(".");
  // Longest known prefix: `features.0.kind` is the features list, `target.horizon` itself.
  for (let length = path.length; length > 0; length -= 1) {
    const name = path.slice(0, length).join(".");
    const exact = shown.find((f) => f === name);
    if (exact) return exact;
    // Only when the API named the group itself: `hyperparameters.foo` is no field of `max_depth`.
    const children = length === path.length ? shown.filter((f) => f.startsWith(`${name}.`)) : [];
    if (children.length > 0) {
      // A rule across a group's fields: the child the message names first, else the group's first.
      return firstMentioned(children, name.length + 1, error.message) ?? children[0];
    }
  }
  return undefined;
}

function firstMentioned<F extends string>(
  fields: readonly F[],
  prefixLength: number,
  message: string,
): F | undefined {
  let best: { field: F; at: number } | undefined;
  for (const field of fields) {
    const at = message.indexOf(field.slice(prefixLength));
    if (at >= 0 && (best === undefined || at < best.at)) best = { field, at };
  }
  return best?.field;
}
