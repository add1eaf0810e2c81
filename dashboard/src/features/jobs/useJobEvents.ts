// Live progress of one job from the gateway's Server-Sent Events stream.
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { type Job, isFinal } from "../../api/types";

/**
 * The latest state of a job, pushed by the server on every change until it is final.
 * The stream replays the current state first, so a reloaded page re-attaches where it was.
 */
export function useJobEvents(jobId: string | undefined, live: boolean): Job | undefined {
  const client = useQueryClient();
  const [job, setJob] = useState<Job>();

  useEffect(() => {
    if (!jobId || !live || typeof EventSource === "undefined") return;
    const source = new EventSource(`/api/v1/jobs/${encodeURIComponent(jobId)}/events`);
    source.addEventListener("job", (event) => {
      const next = JSON.parse((event as MessageEvent<string>).data) as Job;
      setJob(next);
      client.setQueryData(["job", next.id], next);
      if (isFinal(next.status)) {
        source.close(); // the server ends the stream too; do not let the browser reconnect
        void client.invalidateQueries();
      }
    });
    return () => source.close();
  }, [jobId, live, client]);

  return job;
}
