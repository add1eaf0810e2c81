// Every loaded combination, sorted and paged in the browser: the API pages them but only in its
// own order (best first by the sweep's metric), so any other order is the table's job.
import { useMemo, useState } from "react";
import type { Combination } from "../../api/types";
import { Pager } from "../../components/ui/Pager";
import { SortHeader, signedSortDirection } from "../../components/ui/SortHeader";
import { Empty } from "../../components/ui/States";
import { type Unit, formatValue } from "../../lib/format";

type MetricKey = Exclude<keyof Combination, "params">;
type Column =
  | { kind: "param"; key: string; label: string }
  | { kind: "metric"; key: MetricKey; label: string; unit: Unit };

const METRIC_COLUMNS: Column[] = [
  { kind: "metric", key: "sharpe", label: "Sharpe", unit: "ratio" },
  { kind: "metric", key: "sortino", label: "Sortino", unit: "ratio" },
  { kind: "metric", key: "calmar", label: "Calmar", unit: "ratio" },
  { kind: "metric", key: "total_return_pct", label: "Return", unit: "pct" },
  { kind: "metric", key: "max_drawdown_pct", label: "Max DD", unit: "pct" },
  { kind: "metric", key: "portfolio_end", label: "End value", unit: "money" },
  { kind: "metric", key: "total_trades", label: "Trades", unit: "count" },
];

export const PAGE_SIZE = 20;

/** A column's number for a combination; params are prefixed so they never clash with metrics. */
function sortValue(combo: Combination, sortKey: string): number | null {
  const value = sortKey.startsWith("params.")
    ? combo.params[sortKey.slice("params.".length)]
    : combo[sortKey as MetricKey];
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** Sorted by `sort` ("key" ascending, "-key" descending); values missing always come last. */
export function sortCombinations(combos: Combination[], sort: string): Combination[] {
  const descending = sort.startsWith("-");
  const key = descending ? sort.slice(1) : sort;
  return [...combos].sort((a, b) => {
    const [x, y] = [sortValue(a, key), sortValue(b, key)];
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    return descending ? y - x : x - y;
  });
}

type Props = {
  combos: Combination[];
  /** The sweep's metric: the table starts sorted by it, best first, as the API ranks. */
  metric: string;
  /** Combinations the sweep has; more than `combos` when only the best were loaded. */
  total: number;
  pageSize?: number;
};

export function CombinationsTable({ combos, metric, total, pageSize = PAGE_SIZE }: Props) {
  const [sort, setSort] = useState(`-${metric}`);
  const [offset, setOffset] = useState(0);
  const sorted = useMemo(() => sortCombinations(combos, sort), [combos, sort]);
  const params = useMemo(
    () => [...new Set(combos.flatMap((c) => Object.keys(c.params)))],
    [combos],
  );
  const columns: Column[] = [
    ...params.map((p): Column => ({ kind: "param", key: p, label: p })),
    ...METRIC_COLUMNS,
  ];

  if (combos.length === 0) return <Empty>No combination has finished yet.</Empty>;

  const sortBy = (key: string) => {
    // Metrics read best-first on the first click; parameters in ascending order.
    const first = key.startsWith("params.") ? key : `-${key}`;
    const second = first.startsWith("-") ? key : `-${key}`;
    setSort((current) => (current === first ? second : first));
    setOffset(0);
  };
  const page = sorted.slice(offset, offset + pageSize);
  return (
    <div>
      <div className="table-scroll">
        <table className="table table-numbers" aria-label="Combinations">
          <thead>
            <tr>
              {columns.map((c) => {
                const key = c.kind === "param" ? `params.${c.key}` : c.key;
                return (
                  <SortHeader
                    key={key}
                    label={c.label}
                    direction={signedSortDirection(sort, key)}
                    onSort={() => sortBy(key)}
                  />
                );
              })}
            </tr>
          </thead>
          <tbody>
            {page.map((combo) => (
              <tr key={JSON.stringify(combo.params)}>
                {columns.map((c) =>
                  c.kind === "param" ? (
                    <td key={c.key}>{formatValue(combo.params[c.key], "ratio")}</td>
                  ) : (
                    <td key={c.key}>{formatValue(combo[c.key], c.unit)}</td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager
        label="Combinations pages"
        offset={offset}
        shown={page.length}
        total={combos.length}
        pageSize={pageSize}
        onOffset={setOffset}
        note={total > combos.length ? ` (the best of ${total.toLocaleString("en-US")})` : ""}
      />
    </div>
  );
}
