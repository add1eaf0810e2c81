import { describe, expect, it } from "vitest";
import { actionKinds, checkEnvironment, defaultAction, initialEnvironment } from "./environment";
import { RL_CATALOGUE } from "./fixtures";
import {
  type TrainingFormValues,
  checkTraining,
  initialTrainingValues,
  withAlgorithm,
} from "./form";

const agent = (name: string) => {
  const found = RL_CATALOGUE.items.find((a) => a.name === name);
  if (!found) throw new Error(`fixture has no ${name}`);
  return found;
};
const formFor = (name: string, change: Partial<TrainingFormValues> = {}): TrainingFormValues => ({
  ...withAlgorithm(initialTrainingValues(RL_CATALOGUE), agent(name)),
  ...change,
});
const market = { start: "2012-01-01", end: "2016-12-31" };

describe("an agent's action kind", () => {
  it("defaults to continuous for sac and discrete for the others", () => {
    expect(["ppo", "a2c", "dqn", "sac"].map(defaultAction)).toEqual([
      "discrete",
      "discrete",
      "discrete",
      "continuous",
    ]);
    expect(formFor("sac").environment.action).toBe("continuous");
    expect(formFor("dqn").environment.action).toBe("discrete");
  });

  it("offers dqn only discrete, sac only continuous, ppo both", () => {
    expect(actionKinds("dqn")).toEqual(["discrete"]);
    expect(actionKinds("sac")).toEqual(["continuous"]);
    expect(actionKinds("ppo")).toEqual(["discrete", "continuous"]);
  });

  it("goes back to the agent's default when switching from ppo continuous to dqn", () => {
    const ppo = formFor("ppo");
    const continuous = {
      ...ppo,
      environment: { ...ppo.environment, action: "continuous" as const },
    };
    expect(withAlgorithm(continuous, agent("dqn")).environment.action).toBe("discrete");
  });
});

describe("checkEnvironment", () => {
  const check = (change: Partial<ReturnType<typeof initialEnvironment>>, algorithm = "ppo") => {
    const errors = {};
    const body = checkEnvironment(
      { ...initialEnvironment(algorithm), ...change },
      algorithm,
      market,
      errors,
    );
    return { body, errors };
  };

  it.each([
    [{ episodeBars: "1" }, "environment.episode_bars", "Episode bars must be at least 2."],
    [{ episodeBars: "100001" }, "environment.episode_bars", "Episode bars must be at most 100000."],
    [{ episodeBars: "12.5" }, "environment.episode_bars", "Episode bars must be a whole number."],
    [
      { drawdownPenalty: "-1" },
      "environment.drawdown_penalty",
      "Drawdown penalty must be at least 0.",
    ],
    [
      { turnoverPenalty: "101" },
      "environment.turnover_penalty",
      "Turnover penalty must be at most 100.",
    ],
    [{ evalShare: "0" }, "environment.eval_share", "Evaluation share must be above 0."],
    [{ evalShare: "1" }, "environment.eval_share", "Evaluation share must be below 1."],
    [
      { evalBy: "start" as const, evalStart: "2016-02-30" },
      "environment.eval_start",
      "Use a date as YYYY-MM-DD.",
    ],
    [
      { evalBy: "start" as const, evalStart: "2017-01-01" },
      "environment.eval_start",
      "The evaluation must start after the data's start and before its end.",
    ],
  ])("refuses %j under %s", (change, field, message) => {
    expect(check(change).errors).toEqual({ [field]: message });
  });

  it("refuses an action the agent cannot take", () => {
    expect(check({ action: "continuous" }, "dqn").errors).toEqual({
      "environment.action": "dqn cannot act in continuous actions.",
    });
  });

  it("sends a start date instead of a share, with the API's default share beside it", () => {
    expect(check({ evalBy: "start", evalStart: "2016-01-04", evalShare: "oops" })).toEqual({
      body: {
        action: "discrete",
        episode_bars: 256,
        drawdown_penalty: 0,
        turnover_penalty: 0,
        eval_share: 0.2,
        eval_start: "2016-01-04",
      },
      errors: {},
    });
  });
});

describe("checkTraining for an agent", () => {
  it("leaves out target, validation and decision and sends the environment", () => {
    const form = formFor("sac", {
      hyperparameters: { total_timesteps: "3000", n_envs: "4" },
      modelName: "sac-sp500",
      environment: {
        action: "continuous",
        episodeBars: "128",
        drawdownPenalty: "0.5",
        turnoverPenalty: "0.01",
        evalBy: "share",
        evalShare: "0.25",
        evalStart: "",
      },
      // a supervised field left invalid must not stop an agent: it is not sent
      folds: "99",
    });
    const result = checkTraining(form, RL_CATALOGUE, ["SP500"]);
    expect(result).toEqual({
      ok: true,
      request: {
        source: "builtin",
        symbols: ["SP500"],
        start: "2012-01-01",
        end: "2016-12-31",
        interval: "1d",
        model_name: "sac-sp500",
        algorithm: "sac",
        hyperparameters: { total_timesteps: 3000, n_envs: 4 },
        features: [
          { kind: "returns", params: { period: 1 } },
          { kind: "lagged_return", params: { lag: 1 } },
          { kind: "lagged_return", params: { lag: 2 } },
        ],
        environment: {
          action: "continuous",
          episode_bars: 128,
          drawdown_penalty: 0.5,
          turnover_penalty: 0.01,
          eval_share: 0.25,
          eval_start: null,
        },
        initial_cash: 100000,
        seed: 42,
        device: "auto",
      },
    });
  });

  it("sends nothing while an environment field is out of range", () => {
    const form = formFor("ppo");
    const result = checkTraining(
      { ...form, environment: { ...form.environment, episodeBars: "1" } },
      RL_CATALOGUE,
    );
    expect(result).toEqual({
      ok: false,
      errors: { "environment.episode_bars": "Episode bars must be at least 2." },
    });
  });
});
