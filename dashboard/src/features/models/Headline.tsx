import type { Model } from "../../api/types";
import { headlineMetrics } from "./registry";

/** A model's headline figures, one per line, so that a narrow column stays narrow. */
export function Headline({ model }: { model: Pick<Model, "metrics"> }) {
  const figures = headlineMetrics(model);
  if (figures.length === 0) return <>—</>;
  return (
    <>
      {figures.map((h) => (
        <div key={h.key}>
          {h.label} {h.value}
        </div>
      ))}
    </>
  );
}
