// Every component's state from GET /api/v1/health, and the workers on each queue.
import { useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import { ApiError } from "../../api/errors";
import type { Health } from "../../api/types";
import { ErrorNote, Loading } from "../../components/ui/States";

/** The health body comes with 200 (ok) or 503 (degraded): both are answers worth showing. */
async function fetchHealth(): Promise<Health> {
  const { data, error, response } = await api.GET("/api/v1/health");
  if (data) return data;
  if (response.status === 503 && error && typeof error === "object" && "components" in error) {
    return error as unknown as Health;
  }
  throw new ApiError(response.status, error);
}

export function HealthPanel() {
  const health = useQuery({ queryKey: ["health"], queryFn: fetchHealth, refetchInterval: 10_000 });
  if (health.isPending) return <Loading what="health" />;
  if (health.isError) return <ErrorNote error={health.error} retry={() => void health.refetch()} />;
  const { status, components } = health.data;
  return (
    <div>
      <p className={`health-overall health-${status}`}>
        Platform {status === "ok" ? "healthy" : "degraded"}
      </p>
      <ul className="health-list">
        {Object.entries(components).map(([name, c]) => (
          <li key={name} className={`health-item health-${c.status}`}>
            <span className="dot" aria-hidden="true" />
            <strong>{name}</strong>
            <span className="health-status">{c.status}</span>
            {c.latency_ms != null && <span className="muted">{c.latency_ms} ms</span>}
            {c.queues && (
              <span className="muted">
                {Object.entries(c.queues)
                  .map(([queue, n]) => `${queue}: ${n} worker${n === 1 ? "" : "s"}`)
                  .join(", ")}
              </span>
            )}
            {c.detail && <span className="health-detail">{c.detail}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}
