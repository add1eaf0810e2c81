// The stress test form's values, checked before anything is sent against the limits StressRequest
// declares (shared/schemas/stress.py), with messages that say the fix.
import type { StressRequest } from "../../api/types";

export const STRESS_METHODS = ["bootstrap", "garch"] as const;
export type StressMethod = (typeof STRESS_METHODS)[number];

/** The gateway's default MAX_STRESS_SCENARIOS; a lower configured limit comes back as a 422. */
export const MAX_SCENARIOS = 10_000;
const MAX_DELAY_BARS = 50;

export type StressValues = {
  nScenarios: string;
  methods: StressMethod[];
  blockSize: string;
  commissionMultipliers: string;
  slippageMultipliers: string;
  extraDelayBars: string;
  seed: string;
};

/** Field names as the API names them, so that a 422's `field` lands on the same input. */
export type StressField =
  | "n_scenarios"
  | "methods"
  | "block_size"
  | "commission_multipliers"
  | "slippage_multipliers"
  | "extra_delay_bars"
  | "seed";

export type StressErrors = Partial<Record<StressField, string>>;

export type StressChecked =
  | { ok: true; request: StressRequest }
  | { ok: false; errors: StressErrors };

/** Small by default: the workers are shared, and 50 paths already show the spread. */
export const STRESS_DEFAULTS: StressValues = {
  nScenarios: "50",
  methods: ["bootstrap", "garch"],
  blockSize: "20",
  commissionMultipliers: "1, 2",
  slippageMultipliers: "1, 3",
  extraDelayBars: "0, 1",
  seed: "0",
};

export function checkStress(values: StressValues): StressChecked {
  const errors: StressErrors = {};
  const nScenarios = wholeNumber(values.nScenarios, 10, MAX_SCENARIOS, "Scenarios");
  const blockSize = wholeNumber(values.blockSize, 1, 500, "Block size");
  const seed = wholeNumber(values.seed, 0, Number.MAX_SAFE_INTEGER, "Seed");
  const commission = multipliers(values.commissionMultipliers, "Commission multipliers");
  const slippage = multipliers(values.slippageMultipliers, "Slippage multipliers");
  const delays = delayBars(values.extraDelayBars);
  const methods = STRESS_METHODS.filter((m) => values.methods.includes(m));

  if (typeof nScenarios === "string") errors.n_scenarios = nScenarios;
  if (methods.length === 0) errors.methods = "Pick at least one method.";
  if (typeof blockSize === "string") errors.block_size = blockSize;
  if (!Array.isArray(commission)) errors.commission_multipliers = commission;
  if (!Array.isArray(slippage)) errors.slippage_multipliers = slippage;
  if (!Array.isArray(delays)) errors.extra_delay_bars = delays;
  if (typeof seed === "string") errors.seed = seed;

  if (
    typeof nScenarios === "string" ||
    typeof blockSize === "string" ||
    typeof seed === "string" ||
    !Array.isArray(commission) ||
    !Array.isArray(slippage) ||
    !Array.isArray(delays) ||
    methods.length === 0
  ) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    request: {
      n_scenarios: nScenarios,
      methods,
      block_size: blockSize,
      commission_multipliers: commission,
      slippage_multipliers: slippage,
      extra_delay_bars: delays,
      seed,
      chunk_size: 25,
    },
  };
}

/** The number, or the message to show. */
function wholeNumber(text: string, min: number, max: number, label: string): number | string {
  const value = parse(text);
  if (value === undefined) return `${label} must be a number.`;
  if (!Number.isInteger(value)) return `${label} must be a whole number.`;
  if (value < min || value > max) {
    return max === Number.MAX_SAFE_INTEGER
      ? `${label} must be ${min} or more.`
      : `${label} must be between ${min} and ${max.toLocaleString("en-US")}.`;
  }
  return value;
}

function multipliers(text: string, label: string): number[] | string {
  const items = splitList(text);
  if (items.length === 0) return `${label}: give at least one, e.g. 1, 2.`;
  const values = items.map(parse);
  const bad = items.find((_, i) => values[i] === undefined || (values[i] as number) < 0);
  if (bad !== undefined) return `${label}: "${bad}" is not a number of 0 or more.`;
  return values as number[];
}

function delayBars(text: string): number[] | string {
  const items = splitList(text);
  if (items.length === 0) return "Extra delays: give at least one, e.g. 0, 1.";
  const values = items.map(parse);
  const bad = items.find((_, i) => {
    const v = values[i];
    return v === undefined || !Number.isInteger(v) || v < 0 || v > MAX_DELAY_BARS;
  });
  if (bad !== undefined)
    return `Extra delays: "${bad}" must be whole bars from 0 to ${MAX_DELAY_BARS}.`;
  return values as number[];
}

function splitList(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function parse(text: string): number | undefined {
  if (text.trim() === "") return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}
