// Stage, tags and note: edited here, saved together with one PATCH; the API's answer is shown.
import { type FormEvent, useId, useState } from "react";
import { messageOf } from "../../api/errors";
import type { Model, ModelPatch, ModelStage } from "../../api/types";
import { MAX_NOTE_CHARS, type PatchResult, patchFrom, tagProblem } from "./patch";
import { STAGES } from "./registry";

type Props = {
  model: Pick<Model, "stage" | "tags" | "note">;
  onSave: (patch: ModelPatch) => void;
  pending?: boolean;
  error?: unknown;
  saved?: boolean;
};

export function ModelEditor({ model, onSave, pending, error, saved }: Props) {
  const id = useId();
  const [stage, setStage] = useState<ModelStage>(model.stage);
  const [tags, setTags] = useState<string[]>(model.tags);
  const [note, setNote] = useState(model.note);
  const [newTag, setNewTag] = useState("");
  const [tagError, setTagError] = useState<string>();
  const [result, setResult] = useState<PatchResult>();

  const addTag = () => {
    const tag = newTag.trim();
    const problem = tagProblem(tag, tags);
    setTagError(problem);
    if (problem) return;
    setTags([...tags, tag]);
    setNewTag("");
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = patchFrom(model, { stage, tags, note });
    setResult(checked);
    if (checked.ok) onSave(checked.patch);
  };

  return (
    <form className="editor" onSubmit={submit} aria-label="Edit model" noValidate>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-stage`}>
          Stage
        </label>
        <select
          id={`${id}-stage`}
          value={stage}
          onChange={(e) => setStage(e.target.value as ModelStage)}
        >
          {STAGES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        {stage === "production" && model.stage !== "production" && (
          <small className="hint">The name's current production version becomes archived.</small>
        )}
      </div>

      <div className="field">
        <span className="field-label" id={`${id}-tags`}>
          Tags
        </span>
        {tags.length ? (
          <ul className="chips" aria-labelledby={`${id}-tags`}>
            {tags.map((tag) => (
              <li key={tag} className="chip">
                {tag}
                <button
                  type="button"
                  className="chip-remove"
                  aria-label={`Remove tag ${tag}`}
                  onClick={() => setTags(tags.filter((t) => t !== tag))}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <small className="hint">No tags.</small>
        )}
        <div className="tag-add">
          <input
            aria-label="New tag"
            aria-describedby={tagError ? `${id}-tag-error` : undefined}
            aria-invalid={tagError ? true : undefined}
            value={newTag}
            onChange={(e) => setNewTag(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault(); // Enter adds the tag rather than saving the form
                addTag();
              }
            }}
          />
          <button type="button" className="button button-small button-plain" onClick={addTag}>
            Add tag
          </button>
        </div>
        {tagError && (
          <span id={`${id}-tag-error`} className="field-error" role="alert">
            {tagError}
          </span>
        )}
      </div>

      <div className="field">
        <label className="field-label" htmlFor={`${id}-note`}>
          Note
        </label>
        <textarea
          id={`${id}-note`}
          value={note}
          maxLength={MAX_NOTE_CHARS + 1}
          onChange={(e) => setNote(e.target.value)}
        />
      </div>

      <div className="actions-row">
        <button type="submit" className="button" disabled={pending}>
          {pending ? "Saving…" : "Save changes"}
        </button>
        {result && !result.ok && (
          <span className="field-error" role="alert">
            {result.error}
          </span>
        )}
        {result?.ok && saved && !pending && !error && <output className="saved">Saved.</output>}
      </div>
      {error !== undefined && error !== null && (
        <p className="state state-error" role="alert">
          {messageOf(error)}
        </p>
      )}
    </form>
  );
}
