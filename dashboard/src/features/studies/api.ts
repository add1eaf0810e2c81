import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { type Study, type StudyRequest, isFinal } from "../../api/types";

const POLL_MS = 3000;

/** Newest studies; polled while any is still queued or running. */
export function useStudies(limit: number) {
  return useQuery({
    queryKey: ["studies", limit],
    queryFn: () => unwrap(api.GET("/api/v1/studies", { params: { query: { limit } } })),
    refetchInterval: (query) =>
      query.state.data?.items.some((s) => !isFinal(s.status)) ? POLL_MS : false,
  });
}

/** One study with its trials so far; polled until final, so that finished trials show up. */
export function useStudy(id: string) {
  return useQuery({
    queryKey: ["study", id],
    queryFn: () =>
      unwrap(api.GET("/api/v1/studies/{study_id}", { params: { path: { study_id: id } } })),
    refetchInterval: (query) => {
      const data: Study | undefined = query.state.data;
      return data && !isFinal(data.status) ? POLL_MS : false;
    },
  });
}

export function useSubmitStudy() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: StudyRequest) => unwrap(api.POST("/api/v1/studies", { body })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ["studies"] });
      void client.invalidateQueries({ queryKey: ["jobs"] });
    },
  });
}

/** Register the study's best trial as the next version of a model name. */
export function useRegisterBest(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (modelName: string) =>
      unwrap(
        api.POST("/api/v1/studies/{study_id}/register", {
          params: { path: { study_id: id } },
          body: { model_name: modelName },
        }),
      ),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ["study", id] });
      void client.invalidateQueries({ queryKey: ["models"] });
    },
  });
}
