import { skipToken, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";

/** What GET /data/bars needs; empty dates mean the symbol's whole range. */
export type BarsQuery = {
  source: string;
  symbol: string;
  interval: string;
  start?: string;
  end?: string;
};

export function fetchBars({ source, symbol, interval, start, end }: BarsQuery) {
  return unwrap(
    api.GET("/api/v1/data/bars", {
      params: { query: { source, symbol, interval, start: start || null, end: end || null } },
    }),
  );
}

/** The bars of one symbol; nothing is asked while there is no query yet. */
export function useBars(query: BarsQuery | undefined) {
  return useQuery({
    queryKey: ["bars", query],
    queryFn: query ? () => fetchBars(query) : skipToken,
    staleTime: 5 * 60_000,
  });
}
