// The newest models with their headline figures (the overview's panel).
import { Link } from "react-router";
import { ScrollRegion } from "../../components/ui/ScrollRegion";
import { Empty, ErrorNote, Loading } from "../../components/ui/States";
import { Headline } from "./Headline";
import { StageBadge } from "./StageBadge";
import { loadModels, useModelsPage } from "./api";
import { DEFAULT_QUERY } from "./registry";

export function RecentModels({ limit }: { limit: number }) {
  const models = useModelsPage(loadModels, { ...DEFAULT_QUERY, limit });
  if (models.isPending) return <Loading what="models" />;
  if (models.isError) return <ErrorNote error={models.error} retry={() => void models.refetch()} />;
  if (models.data.items.length === 0) {
    return (
      <Empty>
        No models yet. <Link to="/train">Train a model</Link>.
      </Empty>
    );
  }
  return (
    <ScrollRegion label="Recent models (scrolls sideways)">
      <table className="table table-numbers" aria-label="Recent models">
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Algorithm</th>
            <th scope="col">Stage</th>
            <th scope="col">Headline</th>
          </tr>
        </thead>
        <tbody>
          {models.data.items.map((m) => (
            <tr key={m.id}>
              <td>
                <Link to={`/models/${m.id}`}>
                  {m.name} v{m.version}
                </Link>
              </td>
              <td>{m.algorithm}</td>
              <td>
                <StageBadge stage={m.stage} />
              </td>
              <td>
                <Headline model={m} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
