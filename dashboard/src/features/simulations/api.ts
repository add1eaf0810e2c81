import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { type Simulation, type SimulationRequest, type TradesPage, isFinal } from "../../api/types";

const POLL_MS = 3000;

export function useStrategies() {
  return useQuery({
    queryKey: ["strategies"],
    queryFn: () => unwrap(api.GET("/api/v1/strategies")),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useSimulations(limit: number) {
  return useQuery({
    queryKey: ["simulations", limit],
    queryFn: () => unwrap(api.GET("/api/v1/simulations", { params: { query: { limit } } })),
    refetchInterval: (query) =>
      query.state.data?.items.some((s) => !isFinal(s.status)) ? POLL_MS : false,
  });
}

/** One simulation; polled until final (the job's event stream usually gets there first). */
export function useSimulation(id: string) {
  return useQuery({
    queryKey: ["simulation", id],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/simulations/{simulation_id}", { params: { path: { simulation_id: id } } }),
      ),
    refetchInterval: (query) => {
      const data: Simulation | undefined = query.state.data;
      return data && !isFinal(data.status) ? POLL_MS : false;
    },
  });
}

export function useEquity(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ["equity", id],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/simulations/{simulation_id}/equity", {
          params: { path: { simulation_id: id } },
        }),
      ),
    enabled,
  });
}

export type TradesQuery = { sort: string; limit: number; offset: number };
export type LoadTrades = (query: TradesQuery) => Promise<TradesPage>;

export function tradesLoader(id: string): LoadTrades {
  return ({ sort, limit, offset }) =>
    unwrap(
      api.GET("/api/v1/simulations/{simulation_id}/trades", {
        params: { path: { simulation_id: id }, query: { sort, limit, offset } },
      }),
    );
}

export function useTradesPage(key: string, load: LoadTrades, query: TradesQuery) {
  return useQuery({
    queryKey: ["trades", key, query],
    queryFn: () => load(query),
    placeholderData: keepPreviousData,
  });
}

export function useSubmitSimulation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: SimulationRequest) => unwrap(api.POST("/api/v1/simulations", { body })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ["simulations"] });
      void client.invalidateQueries({ queryKey: ["jobs"] });
    },
  });
}
