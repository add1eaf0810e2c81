import type { Source } from "../../api/types";

/** Every data source: what it holds, its intervals and whether it needs the internet. */
export function SourcesTable({
  sources,
  current,
  onBrowse,
}: { sources: Source[]; current: string; onBrowse: (source: string) => void }) {
  return (
    <ul className="source-list">
      {sources.map((s) => (
        <li key={s.name} className={s.name === current ? "source-current" : undefined}>
          <div className="source-head">
            <strong>{s.name}</strong>
            <span className={`badge ${s.offline ? "badge-succeeded" : "badge-queued"}`}>
              {s.offline ? "offline" : "online"}
            </span>
            <span className="hint">{s.intervals.join(" · ")}</span>
            <button
              type="button"
              className="button button-small"
              onClick={() => onBrowse(s.name)}
              aria-pressed={s.name === current}
              aria-label={`Browse symbols of ${s.name}`}
            >
              Symbols
            </button>
          </div>
          <p className="source-description">{s.description}</p>
          {s.close_only_note && <p className="hint">{s.close_only_note}</p>}
        </li>
      ))}
    </ul>
  );
}
