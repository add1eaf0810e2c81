// Every version of the model's name; tick two or more to compare them side by side.
import { useState } from "react";
import { Link } from "react-router";
import type { Model } from "../../api/types";
import { ScrollRegion } from "../../components/ui/ScrollRegion";
import { formatDate } from "../../lib/format";
import { Headline } from "./Headline";
import { StageBadge } from "./StageBadge";

export function compareHref(ids: string[]): string {
  return `/models/compare?ids=${ids.map(encodeURIComponent).join(",")}`;
}

export function VersionsList({ versions, currentId }: { versions: Model[]; currentId: string }) {
  const [picked, setPicked] = useState<string[]>([currentId]);
  const toggle = (id: string) =>
    setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id]));
  // Compare in version order, whatever order they were ticked in.
  const ordered = versions.filter((v) => picked.includes(v.id)).map((v) => v.id);

  return (
    <>
      <ScrollRegion label="Versions (scrolls sideways)">
        <table className="table table-numbers" aria-label="Versions">
          <thead>
            <tr>
              <th scope="col">Compare</th>
              <th scope="col">Version</th>
              <th scope="col">Stage</th>
              <th scope="col">Headline</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.id}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Compare v${v.version}`}
                    checked={picked.includes(v.id)}
                    onChange={() => toggle(v.id)}
                  />
                </td>
                <td>
                  {v.id === currentId ? (
                    <strong>v{v.version} (this one)</strong>
                  ) : (
                    <Link to={`/models/${v.id}`}>v{v.version}</Link>
                  )}
                </td>
                <td>
                  <StageBadge stage={v.stage} />
                </td>
                <td>
                  <Headline model={v} />
                </td>
                <td>{formatDate(v.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <p className="actions-row">
        {ordered.length >= 2 ? (
          <Link className="button button-small" to={compareHref(ordered)}>
            Compare {ordered.length} versions
          </Link>
        ) : (
          <span className="muted">
            {versions.length > 1
              ? "Tick two or more versions to compare them."
              : "This is the only version of this name; train it again to compare versions."}
          </span>
        )}
      </p>
    </>
  );
}
