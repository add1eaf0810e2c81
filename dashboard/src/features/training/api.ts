import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { type Training, type TrainingRequest, isFinal } from "../../api/types";

const POLL_MS = 3000;

/** The algorithms with their hyperparameters, and the feature kinds: what the form is built from. */
export function useAlgorithms() {
  return useQuery({
    queryKey: ["algorithms"],
    queryFn: () => unwrap(api.GET("/api/v1/algorithms")),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Newest trainings; polled while any is still queued or running. */
export function useTrainings(limit: number) {
  return useQuery({
    queryKey: ["trainings", limit],
    queryFn: () => unwrap(api.GET("/api/v1/trainings", { params: { query: { limit } } })),
    refetchInterval: (query) =>
      query.state.data?.items.some((t) => !isFinal(t.status)) ? POLL_MS : false,
  });
}

/** One training; polled until final (the job's event stream usually gets there first). */
export function useTraining(id: string) {
  return useQuery({
    queryKey: ["training", id],
    queryFn: () =>
      unwrap(api.GET("/api/v1/trainings/{training_id}", { params: { path: { training_id: id } } })),
    refetchInterval: (query) => {
      const data: Training | undefined = query.state.data;
      return data && !isFinal(data.status) ? POLL_MS : false;
    },
  });
}

export function useSubmitTraining() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: TrainingRequest) => unwrap(api.POST("/api/v1/trainings", { body })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ["trainings"] });
      void client.invalidateQueries({ queryKey: ["jobs"] });
    },
  });
}
