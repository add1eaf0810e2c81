import { useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import {
  type Combination,
  type CombinationsPage,
  type Sweep,
  type SweepRequest,
  isFinal,
} from "../../api/types";

const POLL_MS = 3000;
/** The API's largest page (MAX_PAGE_SIZE's default). */
const PAGE_LIMIT = 200;
/**
 * Combinations loaded for the heatmap and the table. The API ranks them best first, so a cap
 * keeps every cell's best value exact; only cells made of worse combinations go missing.
 */
export const MAX_LOADED = 5_000;

export function useSweeps(limit: number) {
  return useQuery({
    queryKey: ["sweeps", limit],
    queryFn: () => unwrap(api.GET("/api/v1/sweeps", { params: { query: { limit } } })),
    refetchInterval: (query) =>
      query.state.data?.items.some((s) => !isFinal(s.status)) ? POLL_MS : false,
  });
}

function getSweep(id: string): Promise<Sweep> {
  return unwrap(api.GET("/api/v1/sweeps/{sweep_id}", { params: { path: { sweep_id: id } } }));
}

/** One sweep with its report; polled until final (the job's event stream usually gets there first). */
export function useSweep(id: string) {
  return useQuery({
    queryKey: ["sweep", id],
    queryFn: () => getSweep(id),
    refetchInterval: (query) => {
      const data: Sweep | undefined = query.state.data;
      return data && !isFinal(data.status) ? POLL_MS : false;
    },
  });
}

/**
 * The reports of finished sweeps in a list: the list itself comes without them, so each
 * succeeded sweep is read once (a finished report never changes).
 */
export function useSweepReports(sweeps: Sweep[]) {
  return useQueries({
    queries: sweeps
      .filter((s) => s.status === "succeeded")
      .map((s) => ({
        queryKey: ["sweep", s.sweep_id],
        queryFn: () => getSweep(s.sweep_id),
        staleTime: Number.POSITIVE_INFINITY,
      })),
  });
}

export type CombinationsQuery = { limit: number; offset: number };
export type LoadCombinations = (query: CombinationsQuery) => Promise<CombinationsPage>;

export function combinationsLoader(id: string): LoadCombinations {
  return ({ limit, offset }) =>
    unwrap(
      api.GET("/api/v1/sweeps/{sweep_id}/combinations", {
        params: { path: { sweep_id: id }, query: { limit, offset } },
      }),
    );
}

/** Every combination (best first) up to `cap`, page by page, and how many the sweep has. */
export async function loadAllCombinations(
  load: LoadCombinations,
  cap = MAX_LOADED,
): Promise<{ items: Combination[]; total: number }> {
  const items: Combination[] = [];
  let total = Number.POSITIVE_INFINITY;
  while (items.length < Math.min(total, cap)) {
    const limit = Math.min(PAGE_LIMIT, cap - items.length);
    const page = await load({ limit, offset: items.length });
    total = page.total;
    items.push(...page.items);
    if (page.items.length === 0) break;
  }
  return { items, total: Number.isFinite(total) ? total : items.length };
}

export function useAllCombinations(key: string, load: LoadCombinations, enabled: boolean) {
  return useQuery({
    queryKey: ["combinations", key],
    queryFn: () => loadAllCombinations(load),
    enabled,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useSubmitSweep() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: SweepRequest) => unwrap(api.POST("/api/v1/sweeps", { body })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ["sweeps"] });
      void client.invalidateQueries({ queryKey: ["jobs"] });
    },
  });
}

export function useResumeSweep(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () =>
      unwrap(api.POST("/api/v1/sweeps/{sweep_id}/resume", { params: { path: { sweep_id: id } } })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ["sweep", id] });
      void client.invalidateQueries({ queryKey: ["sweeps"] });
      void client.invalidateQueries({ queryKey: ["jobs"] });
    },
  });
}
