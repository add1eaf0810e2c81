import type { SimulationRequest, SweepRequest } from "../../api/types";

/**
 * The backtest of one combination: the sweep's market, costs and fixed parameters with the
 * combination's values, without the sweep-only fields the simulation API refuses.
 */
export function simulationFor(
  sweep: SweepRequest,
  params: Record<string, number>,
): SimulationRequest {
  const { grid: _grid, metric: _metric, chunk_size: _chunkSize, ...backtest } = sweep;
  return { ...backtest, params: { ...backtest.params, ...params } };
}
