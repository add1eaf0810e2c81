// Short names for the wire types generated from the gateway's OpenAPI (see schema.d.ts).
import type { components } from "./schema";

type Schemas = components["schemas"];
export type Job = Schemas["JobOut"];
export type JobStatus = Schemas["JobStatus"];
export type JobsPage = Schemas["JobsPage"];
export type Health = Schemas["HealthOut"];
export type ComponentHealth = Schemas["ComponentHealth"];
export type Strategy = Schemas["StrategyOut"];
export type StrategyParam = Schemas["StrategyParamOut"];
export type SimulationRequest = Schemas["SimulationRequest"];
export type CostModel = Schemas["CostModel"];
export type ExecutionOptions = Schemas["ExecutionOptions"];
export type Simulation = Schemas["SimulationOut"];
export type SimulationsPage = Schemas["SimulationsPage"];
export type SimulationAccepted = Schemas["SimulationAccepted"];
export type EquityPoint = Schemas["EquityPoint"];
export type Trade = Schemas["TradeOut"];
export type TradesPage = Schemas["TradesPage"];
export type SymbolInfo = Schemas["SymbolOut"];
export type Source = Schemas["SourceOut"];
export type ErrorBody = Schemas["ErrorOut"];
export type StressRequest = Schemas["StressRequest"];
export type StressAccepted = Schemas["StressAccepted"];
export type StressTest = Schemas["StressOut"];
export type StressTestsPage = Schemas["StressTestsPage"];
export type StressReport = Schemas["StressReport"];
export type ScenarioSummary = Schemas["ScenarioSummary"];
export type Distribution = Schemas["Distribution"];

export const FINAL_STATUSES: readonly JobStatus[] = ["succeeded", "failed", "cancelled"];
export const isFinal = (status: JobStatus): boolean => FINAL_STATUSES.includes(status);
