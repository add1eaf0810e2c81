import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { Strategy } from "../../api/types";
import { SimulationForm } from "./SimulationForm";
import type { ModelChoice } from "./model-decider";

const SMA: Strategy = {
  name: "sma_crossover",
  description: "Long while the fast average is above the slow one.",
  params: {
    fast: { default: 20, min: 2, max: 200, integer: true, description: "fast window" },
    slow: { default: 100, min: 5, max: 500, integer: true, description: "slow window" },
  },
};

const CLASSIFIER: ModelChoice = {
  id: "m-xgb",
  name: "demo-xgb",
  version: 2,
  algorithm: "xgboost",
  task: "classification",
  symbols: ["SP500", "NASDAQ"],
  source: "builtin",
  trained_to: "2016-12-29T00:00:00Z",
};
const REGRESSOR: ModelChoice = {
  ...CLASSIFIER,
  id: "m-rf",
  name: "demo-rf",
  algorithm: "random_forest",
  task: "regression",
};

const AGENT: ModelChoice = {
  ...CLASSIFIER,
  id: "m-ppo",
  name: "dashrl-ppo",
  algorithm: "ppo",
  task: "reinforcement",
  symbols: ["SP500"],
};

function setup(initialModel?: string) {
  const onSubmit = vi.fn();
  render(
    <SimulationForm
      strategies={[SMA]}
      models={[CLASSIFIER, REGRESSOR, AGENT]}
      initialModel={initialModel}
      sources={["builtin"]}
      symbols={["SP500", "NASDAQ"]}
      onSubmit={onSubmit}
    />,
  );
  return { onSubmit, user: userEvent.setup() };
}

const run = () => screen.getByRole("button", { name: "Run simulation" });

describe("SimulationForm with a trained model", () => {
  it("starts from ?model: its symbols, from the day after its training data, to the latest bar", async () => {
    const { onSubmit, user } = setup("m-xgb");
    expect(screen.getByRole("radio", { name: "A trained model" })).toBeChecked();
    expect(screen.getByLabelText("Symbols")).toHaveValue("SP500, NASDAQ");
    expect(screen.getByLabelText("Start")).toHaveValue("2016-12-30");
    expect(screen.getByLabelText("End")).toHaveValue("");
    await user.click(run());
    expect(onSubmit).toHaveBeenCalledTimes(1);
    const request = onSubmit.mock.calls[0]?.[0];
    expect(request).toMatchObject({
      model_id: "m-xgb",
      params: {},
      symbols: ["SP500", "NASDAQ"],
      start: "2016-12-30",
      end: null,
    });
    expect(request).not.toHaveProperty("strategy");
  });

  it("checks the classifier's thresholds and sends the ones given", async () => {
    const { onSubmit, user } = setup("m-xgb");
    await user.type(screen.getByLabelText("long_above"), "1.5");
    await user.click(run());
    expect(screen.getByText("long_above must be between 0 and 1.")).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();

    await user.clear(screen.getByLabelText("long_above"));
    await user.type(screen.getByLabelText("long_above"), "0.5");
    await user.type(screen.getByLabelText("short_below"), "0.6");
    await user.click(run());
    expect(
      screen.getByText("short_below must not exceed long_above (between them means flat)."),
    ).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();

    await user.clear(screen.getByLabelText("short_below"));
    await user.type(screen.getByLabelText("short_below"), "0.4");
    await user.click(run());
    expect(onSubmit.mock.calls[0]?.[0]).toMatchObject({
      model_id: "m-xgb",
      params: { long_above: 0.5, short_below: 0.4 },
    });
  });

  it("switches from a strategy to a model and offers a regressor's own thresholds", async () => {
    const { onSubmit, user } = setup();
    expect(screen.getByLabelText("fast")).toHaveValue("20");
    await user.click(screen.getByRole("radio", { name: "A trained model" }));
    expect(screen.queryByLabelText("fast")).not.toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText("Model"), "m-rf");
    await user.type(screen.getByLabelText("min_abs_return"), "-0.01");
    await user.click(run());
    expect(screen.getByText("min_abs_return must be at least 0.")).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
    await user.clear(screen.getByLabelText("min_abs_return"));
    await user.type(screen.getByLabelText("min_abs_return"), "0.002");
    await user.click(run());
    expect(onSubmit.mock.calls[0]?.[0]).toMatchObject({
      model_id: "m-rf",
      params: { min_abs_return: 0.002 },
      symbols: ["SP500"],
      start: "2010-01-01",
    });
  });

  it("goes back to the strategy with its defaults", async () => {
    const { onSubmit, user } = setup("m-xgb");
    await user.click(screen.getByRole("radio", { name: "A built-in strategy" }));
    expect(screen.getByLabelText("fast")).toHaveValue("20");
    await user.click(run());
    expect(onSubmit.mock.calls[0]?.[0]).toMatchObject({
      strategy: "sma_crossover",
      params: { fast: 20, slow: 100 },
    });
    expect(onSubmit.mock.calls[0]?.[0]).not.toHaveProperty("model_id");
  });

  it("offers an RL agent no decision thresholds and sends no params", async () => {
    const { onSubmit, user } = setup("m-xgb");
    expect(screen.getByLabelText("long_above")).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText("Model"), "m-ppo");
    expect(screen.queryByLabelText("long_above")).not.toBeInTheDocument();
    expect(screen.queryByLabelText("short_below")).not.toBeInTheDocument();
    expect(screen.queryByLabelText("min_abs_return")).not.toBeInTheDocument();
    expect(
      screen.getByText(/acts by its own policy: it has no decision thresholds/),
    ).toBeInTheDocument();
    await user.click(run());
    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(onSubmit.mock.calls[0]?.[0]).toMatchObject({ model_id: "m-ppo", params: {} });
  });
});
