import { describe, expect, it } from "vitest";
import { STUDY_CATALOGUE } from "./fixtures";
import {
  type StudyFormValues,
  checkStudy,
  initialStudyValues,
  searchedBy,
  studyAlgorithms,
} from "./form";

const names = (action: "discrete" | "continuous", symbols: number) =>
  studyAlgorithms(STUDY_CATALOGUE, action, symbols).map((a) => a.name);

function values(change: Partial<StudyFormValues> = {}): StudyFormValues {
  return { ...initialStudyValues(STUDY_CATALOGUE), ...change };
}

describe("studyAlgorithms", () => {
  it("offers only agents that can act in the action kind (dqn with one symbol only)", () => {
    expect(names("discrete", 1)).toEqual(["ppo", "a2c", "dqn"]);
    expect(names("discrete", 2)).toEqual(["ppo", "a2c"]);
    expect(names("continuous", 1)).toEqual(["ppo", "a2c", "sac"]);
  });
});

describe("checkStudy", () => {
  it("builds the request the docs show from the default form", () => {
    const result = checkStudy(values(), STUDY_CATALOGUE, ["SP500"]);
    expect(result).toEqual({
      ok: true,
      request: {
        source: "builtin",
        symbols: ["SP500"],
        start: "2008-01-01",
        end: "2015-12-31",
        interval: "1d",
        algorithms: ["ppo", "a2c"],
        search_space: {
          ppo: {
            learning_rate: { low: 0.00001, high: 0.01, log: true },
            gamma: { low: 0.9, high: 0.9999, log: false },
          },
          a2c: {
            learning_rate: { low: 0.00001, high: 0.01, log: true },
            gamma: { low: 0.9, high: 0.9999, log: false },
          },
        },
        n_trials: 6,
        objective: "oos_sharpe",
        environment: {
          action: "discrete",
          episode_bars: 256,
          drawdown_penalty: 0,
          turnover_penalty: 0,
          eval_share: 0.2,
          eval_start: null,
        },
        hyperparameters: {},
        initial_cash: 100000,
        costs: { commission_rate: 0.001, slippage_bps: 5, spread_bps: 0 },
        execution: {
          fill: "next_open",
          position_size: 1,
          allow_short: false,
          stop_loss: null,
          take_profit: null,
        },
        seed: 42,
      },
    });
  });

  it("sends what is fixed for every trial, the costs and the execution", () => {
    const result = checkStudy(
      values({
        fixed: {
          total_timesteps: { on: true, value: "2048" },
          gamma: { on: false, value: "0.95" },
        },
        initialCash: "50000",
        commissionRate: "0.0005",
        fill: "close",
        allowShort: true,
        stopLoss: "0.05",
      }),
      STUDY_CATALOGUE,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.request.hyperparameters).toEqual({ total_timesteps: 2048 });
    expect(result.request.initial_cash).toBe(50000);
    expect(result.request.costs?.commission_rate).toBe(0.0005);
    expect(result.request.execution).toMatchObject({
      fill: "close",
      allow_short: true,
      stop_loss: 0.05,
    });
  });

  it("refuses a fixed value outside the range every agent accepts, or one also searched", () => {
    const result = checkStudy(
      values({
        fixed: {
          total_timesteps: { on: true, value: "50" },
          learning_rate: { on: true, value: "0.001" },
        },
        commissionRate: "1",
        positionSize: "0",
      }),
      STUDY_CATALOGUE,
    );
    expect(result).toEqual({
      ok: false,
      errors: {
        "hyperparameters.total_timesteps": "total_timesteps must be between 1000 and 10000000.",
        "hyperparameters.learning_rate":
          "learning_rate is searched for ppo: fix it or search it, not both.",
        "costs.commission_rate": "Commission rate must be below 1.",
        "execution.position_size": "Position size must be above 0.",
      },
    });
  });

  it("counts learning_rate and gamma as searched for an agent with nothing ticked", () => {
    const start = values();
    const off = { searched: false, low: "0.9", high: "0.9999", log: false };
    const ranges = {
      ...start.ranges,
      ppo: { ...start.ranges.ppo, learning_rate: off, gamma: off },
      a2c: { ...start.ranges.a2c, learning_rate: off, gamma: off },
    };
    expect(searchedBy(values({ ranges }))).toEqual(
      new Map([
        ["learning_rate", "ppo"],
        ["gamma", "ppo"],
      ]),
    );
    const result = checkStudy(
      values({ ranges, fixed: { gamma: { on: true, value: "0.95" } } }),
      STUDY_CATALOGUE,
    );
    expect(!result.ok && result.errors["hyperparameters.gamma"]).toBe(
      "gamma is searched for ppo: fix it or search it, not both.",
    );
  });

  it("sends an edited range, and leaves out an agent with nothing searched", () => {
    const start = values();
    const ranges = {
      ...start.ranges,
      ppo: {
        ...start.ranges.ppo,
        learning_rate: { searched: false, low: "0.00001", high: "0.01", log: true },
        gamma: { searched: false, low: "0.9", high: "0.9999", log: false },
        n_steps: { searched: true, low: "16", high: "128", log: false },
      },
      a2c: {
        ...start.ranges.a2c,
        learning_rate: { searched: false, low: "0.00001", high: "0.01", log: true },
        gamma: { searched: false, low: "0.9", high: "0.9999", log: false },
      },
    };
    const result = checkStudy(values({ ranges }), STUDY_CATALOGUE);
    expect(result.ok && result.request.search_space).toEqual({
      ppo: { n_steps: { low: 16, high: 128, log: false } },
    });
  });

  it("refuses a bad form with a message per field", () => {
    const start = values();
    const ranges = {
      ...start.ranges,
      ppo: {
        ...start.ranges.ppo,
        learning_rate: { searched: true, low: "0", high: "0.01", log: true },
        gamma: { searched: true, low: "0.99", high: "0.95", log: false },
        n_steps: { searched: true, low: "8.5", high: "64", log: false },
      },
    };
    const result = checkStudy(
      values({ ranges, nTrials: "201", seed: "-1", symbols: "SP500, GOOG", algorithms: ["dqn"] }),
      STUDY_CATALOGUE,
    );
    expect(result).toEqual({
      ok: false,
      errors: {
        algorithms: "dqn cannot act in discrete actions with several symbols.",
        n_trials: "Trials must be between 1 and 200.",
        seed: "Seed must be between 0 and 2147483647.",
      },
    });
    const ppo = checkStudy(values({ ranges, algorithms: ["ppo"] }), STUDY_CATALOGUE);
    expect(ppo).toEqual({
      ok: false,
      errors: {
        "search_space.ppo.learning_rate": "learning_rate: keep within 0.00001–0.01.",
        "search_space.ppo.gamma": "gamma: the low must be below the high.",
        "search_space.ppo.n_steps": "n_steps: whole numbers only.",
      },
    });
  });

  it("wants at least one algorithm and a whole number of trials", () => {
    const result = checkStudy(values({ algorithms: [], nTrials: "2.5" }), STUDY_CATALOGUE);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.algorithms).toBe("Pick at least one algorithm.");
      expect(result.errors.n_trials).toBe("Trials must be a whole number.");
    }
  });
});
