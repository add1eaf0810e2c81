// The stage/tags/note edit, checked against ModelPatch's limits before anything is sent.
import type { Model, ModelPatch, ModelStage } from "../../api/types";

export const MAX_TAGS = 20;
export const MAX_NOTE_CHARS = 10_000;
const TAG = /^[A-Za-z0-9_.:-]{1,64}$/;

export type Edit = { stage: ModelStage; tags: string[]; note: string };

/** Why `tag` cannot join `tags`, or undefined when it can. */
export function tagProblem(tag: string, tags: readonly string[]): string | undefined {
  if (!TAG.test(tag)) return "A tag is 1 to 64 letters, digits or _ . : - (no spaces).";
  if (tags.includes(tag)) return `${tag} is already a tag.`;
  if (tags.length >= MAX_TAGS) return `A model has at most ${MAX_TAGS} tags; remove one first.`;
  return undefined;
}

export type PatchResult = { ok: true; patch: ModelPatch } | { ok: false; error: string };

/** Only the fields that changed: a PATCH with nothing in it is refused by the API. */
export function patchFrom(model: Pick<Model, "stage" | "tags" | "note">, edit: Edit): PatchResult {
  if (edit.note.length > MAX_NOTE_CHARS) {
    return {
      ok: false,
      error: `The note is ${edit.note.length} characters; at most ${MAX_NOTE_CHARS}.`,
    };
  }
  const patch: ModelPatch = {};
  if (edit.stage !== model.stage) patch.stage = edit.stage;
  if (edit.tags.join("\n") !== model.tags.join("\n")) patch.tags = edit.tags;
  if (edit.note !== model.note) patch.note = edit.note;
  if (Object.keys(patch).length === 0) return { ok: false, error: "Nothing changed to save." };
  return { ok: true, patch };
}
