// Stress tests of one simulation (GET/POST /simulations/{id}/stress). Kept apart from api.ts so
// that the stress feature reads as one unit.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { type StressRequest, isFinal } from "../../api/types";

const POLL_MS = 3000;
export const STRESS_LIST_LIMIT = 20;

/** The newest stress tests; polled while any is still running (SSE usually gets there first). */
export function useStressTests(simulationId: string) {
  return useQuery({
    queryKey: ["stress", simulationId],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/simulations/{simulation_id}/stress", {
          params: {
            path: { simulation_id: simulationId },
            query: { limit: STRESS_LIST_LIMIT },
          },
        }),
      ),
    refetchInterval: (query) =>
      query.state.data?.items.some((s) => !isFinal(s.status)) ? POLL_MS : false,
  });
}

export function useSubmitStress(simulationId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: StressRequest) =>
      unwrap(
        api.POST("/api/v1/simulations/{simulation_id}/stress", {
          params: { path: { simulation_id: simulationId } },
          body,
        }),
      ),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ["stress", simulationId] });
      void client.invalidateQueries({ queryKey: ["jobs"] });
    },
  });
}
