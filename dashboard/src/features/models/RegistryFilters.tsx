// The registry's filters; applied together on submit, so that typing a name sends no requests.
import { type FormEvent, useState } from "react";
import type { ModelStage } from "../../api/types";
import { type Filter, type RegistryQuery, STAGES } from "./registry";

type Filters = Pick<RegistryQuery, Filter>;

export function RegistryFilters({
  query,
  onApply,
  onClear,
}: { query: RegistryQuery; onApply: (filters: Filters) => void; onClear: () => void }) {
  const [filters, setFilters] = useState<Filters>({
    name: query.name,
    algorithm: query.algorithm,
    stage: query.stage,
    tag: query.tag,
  });
  const set = (key: Filter, value: string) => setFilters((f) => ({ ...f, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply({
      name: filters.name.trim(),
      algorithm: filters.algorithm.trim(),
      stage: filters.stage,
      tag: filters.tag.trim(),
    });
  };

  return (
    <form className="filters" onSubmit={submit} aria-label="Filter models">
      <label className="field">
        <span className="field-label">Name</span>
        <input
          value={filters.name}
          placeholder="exact name"
          onChange={(e) => set("name", e.target.value)}
        />
      </label>
      <label className="field">
        <span className="field-label">Algorithm</span>
        <input
          value={filters.algorithm}
          placeholder="e.g. xgboost"
          onChange={(e) => set("algorithm", e.target.value)}
        />
      </label>
      <label className="field">
        <span className="field-label">Stage</span>
        <select
          value={filters.stage}
          onChange={(e) => set("stage", e.target.value as ModelStage | "")}
        >
          <option value="">any</option>
          {STAGES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span className="field-label">Tag</span>
        <input value={filters.tag} onChange={(e) => set("tag", e.target.value)} />
      </label>
      <div className="filters-actions">
        <button type="submit" className="button button-small">
          Apply filters
        </button>
        <button type="button" className="button button-small button-plain" onClick={onClear}>
          Clear
        </button>
      </div>
    </form>
  );
}
