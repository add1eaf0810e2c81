// Versions of a model side by side: /models/compare?ids=a,b,…
import { Link, useSearchParams } from "react-router";
import type { ModelDetail } from "../../api/types";
import { Section } from "../../components/ui/Card";
import { Empty, ErrorNote, Loading } from "../../components/ui/States";
import { MetricsComparison, SettingsComparison } from "../../features/models/CompareTables";
import { useModelDetails } from "../../features/models/api";
import "../../features/models/models.css";

export default function ModelCompare() {
  const [params] = useSearchParams();
  const ids = [...new Set((params.get("ids") ?? "").split(",").filter(Boolean))];
  const details = useModelDetails(ids);

  let body: React.ReactNode;
  if (ids.length < 2) {
    body = (
      <Empty>
        Pick two or more versions to compare: open a model in the <Link to="/models">registry</Link>{" "}
        and tick its versions.
      </Empty>
    );
  } else if (details.some((d) => d.isPending)) {
    body = <Loading what="the versions" />;
  } else {
    const failed = details.find((d) => d.isError);
    body = failed ? (
      <ErrorNote error={failed.error} retry={() => void failed.refetch()} />
    ) : (
      <Comparison models={details.map((d) => d.data as ModelDetail)} />
    );
  }
  return (
    <>
      <p className="crumbs">
        <Link to="/models">Models</Link> / compare
      </p>
      <h1>Compare versions</h1>
      {body}
    </>
  );
}

function Comparison({ models }: { models: ModelDetail[] }) {
  return (
    <>
      <p className="muted">
        {models.map((m, i) => (
          <span key={m.id}>
            {i > 0 && " · "}
            <Link to={`/models/${m.id}`}>
              {m.name} v{m.version}
            </Link>
          </span>
        ))}
      </p>
      <Section title="Metrics">
        <p className="hint">
          The best value of each row is highlighted (lowest for losses, errors and drawdown).
        </p>
        <MetricsComparison models={models} />
      </Section>
      <Section title="Hyperparameters, features and data">
        <p className="hint">Rows that differ between versions are highlighted.</p>
        <SettingsComparison models={models} />
      </Section>
    </>
  );
}
