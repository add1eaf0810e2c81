// Which bar intervals a form offers as its source changes (each source lists its own).
import type { Source } from "../api/types";

/** The intervals `source` offers; while the sources are unknown, just the one chosen. */
export function offeredIntervals(sources: readonly Source[], source: string, chosen: string) {
  return sources.find((s) => s.name === source)?.intervals ?? [chosen];
}

/** The interval after switching to `source`: the chosen one while it is offered, else the first. */
export function intervalFor(sources: readonly Source[], source: string, chosen: string): string {
  const offered = sources.find((s) => s.name === source)?.intervals ?? [];
  return offered.includes(chosen) ? chosen : (offered[0] ?? chosen);
}
