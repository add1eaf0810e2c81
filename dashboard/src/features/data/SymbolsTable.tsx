// The symbols of one source with the range and bar count the API knows, filtered and paged in
// the browser (a source lists at most a page of the API's largest size).
import { useState } from "react";
import { Link } from "react-router";
import type { SymbolInfo } from "../../api/types";
import { Pager } from "../../components/ui/Pager";
import { Empty } from "../../components/ui/States";
import { formatValue } from "../../lib/format";

export const SYMBOLS_PAGE = 10;

type Props = {
  source: string;
  symbols: SymbolInfo[];
  /** how many the source has, when more than were fetched */
  total: number;
  pageSize?: number;
};

export function SymbolsTable({ source, symbols, total, pageSize = SYMBOLS_PAGE }: Props) {
  const [filter, setFilter] = useState("");
  const [offset, setOffset] = useState(0);
  if (symbols.length === 0) {
    return (
      <Empty>
        {source === "files" ? (
          <>
            No files uploaded yet. <a href="#upload">Upload a CSV or Parquet file</a>.
          </>
        ) : (
          <>No symbols listed for {source}; type a ticker in the chart form above.</>
        )}
      </Empty>
    );
  }
  const needle = filter.trim().toLowerCase();
  const matching = needle
    ? symbols.filter((s) => `${s.symbol} ${s.name}`.toLowerCase().includes(needle))
    : symbols;
  const page = matching.slice(offset, offset + pageSize);

  return (
    <div>
      <label className="field symbols-filter">
        <span className="field-label">Filter symbols</span>
        <input
          type="search"
          value={filter}
          placeholder="symbol or name"
          onChange={(e) => {
            setFilter(e.target.value);
            setOffset(0);
          }}
        />
      </label>
      {matching.length === 0 ? (
        <Empty>
          No symbol of {source} matches “{filter}”.{" "}
          <button type="button" className="link-button" onClick={() => setFilter("")}>
            Clear the filter
          </button>
        </Empty>
      ) : (
        <>
          <div className="table-scroll">
            <table className="table table-numbers" aria-label={`Symbols of ${source}`}>
              <thead>
                <tr>
                  <th scope="col">Symbol</th>
                  <th scope="col">Name</th>
                  <th scope="col">From</th>
                  <th scope="col">To</th>
                  <th scope="col">Bars</th>
                </tr>
              </thead>
              <tbody>
                {page.map((s) => (
                  <tr key={s.symbol}>
                    <td>
                      <Link
                        to={`/data?${new URLSearchParams({ source, symbol: s.symbol })}`}
                        aria-label={`Chart ${s.symbol}`}
                      >
                        {s.symbol}
                      </Link>
                    </td>
                    <td className="symbol-name">
                      {s.name}
                      {s.close_only && <span className="badge">closes only</span>}
                    </td>
                    <td>{s.first ?? "—"}</td>
                    <td>{s.last ?? "—"}</td>
                    <td>
                      {s.rows === null || s.rows === undefined ? "—" : formatValue(s.rows, "count")}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            label="Symbols pages"
            offset={offset}
            shown={page.length}
            total={matching.length}
            pageSize={pageSize}
            onOffset={setOffset}
          />
        </>
      )}
      {total > symbols.length && (
        <p className="hint">
          Showing the first {symbols.length} of {total} symbols of {source}.
        </p>
      )}
    </div>
  );
}
