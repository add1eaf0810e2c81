import { Fragment } from "react";
import type { Fact } from "./agent-report";

/** Labelled values as a description list; "Not recorded." when there are none. */
export function FactList({ facts, label }: { facts: Fact[]; label: string }) {
  if (facts.length === 0) return <p className="muted">Not recorded.</p>;
  return (
    <dl className="agent-facts" aria-label={label}>
      {facts.map((f) => (
        <Fragment key={f.label}>
          <dt>{f.label}</dt>
          <dd>{f.value}</dd>
        </Fragment>
      ))}
    </dl>
  );
}
