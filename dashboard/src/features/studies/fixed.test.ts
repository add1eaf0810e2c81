import { describe, expect, it } from "vitest";
import type { AlgorithmsCatalogue } from "../../api/types";
import { checkFixed, defaultsText, sharedParams } from "./fixed";
import { STUDY_CATALOGUE } from "./fixtures";

/** The fixture's agents, with dqn's timesteps declared as the API declares them: its own default
 * and a narrower range than ppo's. */
const CATALOGUE: AlgorithmsCatalogue = {
  ...STUDY_CATALOGUE,
  items: STUDY_CATALOGUE.items.map((a) =>
    a.name !== "dqn"
      ? a
      : {
          ...a,
          params: a.params.map((p) =>
            p.name === "total_timesteps" ? { ...p, default: 10000, min: 2000, max: 500000 } : p,
          ),
        },
  ),
};

describe("sharedParams", () => {
  it("keeps what every agent declares, within the range all of them accept", () => {
    const shared = sharedParams(CATALOGUE, ["ppo", "dqn"]);
    expect(shared.map((s) => s.param.name)).toEqual(["learning_rate", "gamma", "total_timesteps"]);
    const timesteps = shared[2];
    expect(timesteps?.param).toMatchObject({ min: 2000, max: 500000 });
    expect(timesteps?.defaults).toEqual({ ppo: 20000, dqn: 10000 });
    expect(timesteps && defaultsText(timesteps)).toBe("defaults ppo 20000, dqn 10000");
    expect(shared[1] && defaultsText(shared[1])).toBe("default 0.99");
  });

  it("offers n_steps when ppo is alone, and nothing without agents", () => {
    expect(sharedParams(CATALOGUE, ["ppo"]).map((s) => s.param.name)).toContain("n_steps");
    expect(sharedParams(CATALOGUE, [])).toEqual([]);
  });
});

describe("checkFixed", () => {
  it("sends only the fixed values of shared parameters, each checked against its range", () => {
    const shared = sharedParams(CATALOGUE, ["ppo", "dqn"]);
    const errors = {};
    const fixed = checkFixed(
      shared,
      {
        total_timesteps: { on: true, value: "4096" },
        gamma: { on: false, value: "0.5" },
        n_steps: { on: true, value: "32" }, // dqn has none: not sent
      },
      new Map(),
      errors,
    );
    expect(fixed).toEqual({ total_timesteps: 4096 });
    expect(errors).toEqual({});
    const tooFew: Record<string, string> = {};
    checkFixed(shared, { total_timesteps: { on: true, value: "1000" } }, new Map(), tooFew);
    expect(tooFew).toEqual({
      "hyperparameters.total_timesteps": "total_timesteps must be between 2000 and 500000.",
    });
  });
});
