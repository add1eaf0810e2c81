import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { type Job, isFinal } from "../../api/types";

const POLL_MS = 2000;

/** Newest jobs; polled while any is still queued or running. */
export function useJobs(limit: number, offset = 0) {
  return useQuery({
    queryKey: ["jobs", limit, offset],
    queryFn: () => unwrap(api.GET("/api/v1/jobs", { params: { query: { limit, offset } } })),
    placeholderData: keepPreviousData,
    refetchInterval: (query) =>
      query.state.data?.items.some((job) => !isFinal(job.status)) ? POLL_MS : false,
  });
}

export function useJob(jobId: string | undefined) {
  return useQuery({
    queryKey: ["job", jobId],
    queryFn: () =>
      unwrap(api.GET("/api/v1/jobs/{job_id}", { params: { path: { job_id: jobId ?? "" } } })),
    enabled: jobId !== undefined,
  });
}

export function useCancelJob() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (jobId: string) =>
      unwrap(api.POST("/api/v1/jobs/{job_id}/cancel", { params: { path: { job_id: jobId } } })),
    onSuccess: (job: Job) => {
      client.setQueryData(["job", job.id], job);
      void client.invalidateQueries({ queryKey: ["jobs"] });
    },
  });
}
