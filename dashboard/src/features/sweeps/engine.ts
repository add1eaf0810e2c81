// Which engine ran a sweep, in one line: the fused one-pass kernel, or simulate() per combination.
import type { SweepReport } from "../../api/types";
import { formatValue } from "../../lib/format";

type EngineFields = Pick<SweepReport, "engine" | "engine_reason" | "n_general">;

/** "Fused kernel", "General engine: <reason>", "Mixed: N combinations through simulate(): …". */
export function engineLine({ engine, engine_reason, n_general }: EngineFields): string | null {
  const reason = engine_reason?.trim() ? `: ${engine_reason.trim()}` : "";
  switch (engine) {
    case "fused":
      return "Fused kernel";
    case "general":
      return `General engine${reason}`;
    case "mixed": {
      if (typeof n_general !== "number")
        return `Mixed: some combinations through simulate()${reason}`;
      const noun = n_general === 1 ? "combination" : "combinations";
      return `Mixed: ${formatValue(n_general, "count")} ${noun} through simulate()${reason}`;
    }
    default:
      // null on reports from before the fused kernel: say nothing rather than guess
      return null;
  }
}
