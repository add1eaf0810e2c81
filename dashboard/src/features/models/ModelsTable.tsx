// The registry: filtered, sorted and paged by the API, with every choice kept in the URL.
import { Link, useSearchParams } from "react-router";
import type { Model } from "../../api/types";
import { Pager } from "../../components/ui/Pager";
import { ScrollRegion } from "../../components/ui/ScrollRegion";
import { type SortDirection, SortHeader } from "../../components/ui/SortHeader";
import { Empty, ErrorNote, Loading } from "../../components/ui/States";
import { formatDate, formatValue } from "../../lib/format";
import { RegistryFilters } from "./RegistryFilters";
import { StageBadge } from "./StageBadge";
import { type LoadModels, useModelsPage } from "./api";
import {
  DEFAULT_QUERY,
  type RegistryQuery,
  nextSort,
  paramsFromQuery,
  queryFromParams,
  trainedRange,
} from "./registry";

type Column = { key: string; label: string; sort?: string; cell: (m: Model) => React.ReactNode };

const COLUMNS: Column[] = [
  {
    key: "name",
    label: "Name",
    sort: "name",
    cell: (m) => <Link to={`/models/${m.id}`}>{m.name}</Link>,
  },
  { key: "version", label: "Version", sort: "version", cell: (m) => `v${m.version}` },
  { key: "algorithm", label: "Algorithm", cell: (m) => m.algorithm },
  { key: "task", label: "Task", cell: (m) => m.task },
  { key: "stage", label: "Stage", cell: (m) => <StageBadge stage={m.stage} /> },
  { key: "tags", label: "Tags", cell: (m) => m.tags.join(", ") || "—" },
  { key: "symbols", label: "Symbols", cell: (m) => m.symbols.join(", ") },
  { key: "trained", label: "Trained on", cell: (m) => trainedRange(m) },
  {
    key: "oos_sharpe",
    label: "OOS Sharpe",
    sort: "metrics.oos_sharpe",
    cell: (m) => formatValue(m.metrics.oos_sharpe, "ratio"),
  },
  {
    key: "oos_return",
    label: "OOS return",
    sort: "metrics.oos_total_return_pct",
    cell: (m) => formatValue(m.metrics.oos_total_return_pct, "pct"),
  },
  { key: "created", label: "Created", sort: "created_at", cell: (m) => formatDate(m.created_at) },
];

export const PAGE_SIZE = 20;

export function ModelsTable({
  load,
  pageSize = PAGE_SIZE,
}: { load: LoadModels; pageSize?: number }) {
  const [params, setParams] = useSearchParams();
  const query = queryFromParams(params);
  const page = useModelsPage(load, { ...query, limit: pageSize });
  const go = (next: RegistryQuery) => setParams(paramsFromQuery(next));
  const filtered = ["name", "algorithm", "stage", "tag"].some(
    (k) => query[k as keyof RegistryQuery],
  );

  return (
    <div>
      <RegistryFilters
        key={params.toString()}
        query={query}
        onApply={(filters) => go({ ...query, ...filters, offset: 0 })}
        onClear={() => go({ ...DEFAULT_QUERY, sort: query.sort, order: query.order })}
      />
      {page.isPending ? (
        <Loading what="models" />
      ) : page.isError ? (
        <ErrorNote error={page.error} retry={() => void page.refetch()} />
      ) : page.data.total === 0 ? (
        <Empty>
          {filtered ? (
            "No model matches these filters."
          ) : (
            <>
              No models yet. <Link to="/train">Train a model</Link> to register one.
            </>
          )}
        </Empty>
      ) : (
        <>
          <ScrollRegion label="Models (scrolls sideways)">
            <table className="table table-numbers" aria-label="Models">
              <thead>
                <tr>
                  {COLUMNS.map(({ key, label, sort }) => (
                    <SortHeader
                      key={key}
                      label={label}
                      direction={sort ? sortDirection(query, sort) : undefined}
                      onSort={sort ? () => go(nextSort(query, sort)) : undefined}
                    />
                  ))}
                </tr>
              </thead>
              <tbody>
                {page.data.items.map((model) => (
                  <tr key={model.id}>
                    {COLUMNS.map((c) => (
                      <td key={c.key}>{c.cell(model)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
          <Pager
            label="Models pages"
            offset={query.offset}
            shown={page.data.items.length}
            total={page.data.total}
            pageSize={pageSize}
            onOffset={(offset) => go({ ...query, offset })}
          />
        </>
      )}
    </div>
  );
}

function sortDirection(query: RegistryQuery, key: string): SortDirection | undefined {
  if (query.sort !== key) return undefined;
  return query.order === "asc" ? "ascending" : "descending";
}
