// Several simulations and their equity curves at once, for the comparison page. The query keys
// match useSimulation/useEquity, so the cache is shared with the result pages.
import { useQueries } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";

export function useSimulationsById(ids: string[]) {
  return useQueries({
    queries: ids.map((id) => ({
      queryKey: ["simulation", id],
      queryFn: () =>
        unwrap(
          api.GET("/api/v1/simulations/{simulation_id}", {
            params: { path: { simulation_id: id } },
          }),
        ),
    })),
  });
}

/** Equity curves of the given simulations; only those marked ready are fetched. */
export function useEquities(ids: string[], ready: boolean[]) {
  return useQueries({
    queries: ids.map((id, i) => ({
      queryKey: ["equity", id],
      queryFn: () =>
        unwrap(
          api.GET("/api/v1/simulations/{simulation_id}/equity", {
            params: { path: { simulation_id: id } },
          }),
        ),
      enabled: ready[i] ?? false,
    })),
  });
}
