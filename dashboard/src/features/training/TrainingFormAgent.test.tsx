import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { ApiError } from "../../api/errors";
import { TrainingForm } from "./TrainingForm";
import { RL_CATALOGUE } from "./fixtures";

function setup() {
  const onSubmit = vi.fn();
  const props = {
    catalogue: RL_CATALOGUE,
    sources: [],
    symbols: ["SP500"],
    onSubmit,
  };
  const view = render(<TrainingForm {...props} />);
  const user = userEvent.setup();
  return {
    onSubmit,
    user,
    pick: (name: string) => user.selectOptions(screen.getByLabelText("Algorithm"), name),
    failWith: (error: ApiError) => view.rerender(<TrainingForm {...props} submitError={error} />),
  };
}

const start = (user: ReturnType<typeof userEvent.setup>) =>
  user.click(screen.getByRole("button", { name: "Start training" }));

describe("TrainingForm with an RL agent", () => {
  it("swaps target, validation and decision for the Environment section", async () => {
    const { pick } = setup();
    expect(screen.queryByRole("group", { name: "Environment" })).not.toBeInTheDocument();
    const section = (title: string) =>
      screen.queryByText(title, { selector: ".train-section-title" });
    expect(section("Target")).toBeInTheDocument();
    await pick("ppo");
    expect(screen.getByRole("group", { name: "Environment" })).toBeInTheDocument();
    expect(section("Target")).not.toBeInTheDocument();
    expect(section("Validation")).not.toBeInTheDocument();
    expect(screen.queryByLabelText("Long above")).not.toBeInTheDocument();
    expect(section("Run")).toBeInTheDocument();
    // the hyperparameters stay generic: built from what the catalogue declares
    expect(screen.getByLabelText("total_timesteps")).toHaveValue(20000);
    expect(screen.getByLabelText("Action")).toHaveValue("discrete");
    expect(screen.getByLabelText("Episode bars")).toHaveValue(256);
  });

  it("offers sac continuous actions only, and dqn discrete only", async () => {
    const { pick } = setup();
    await pick("sac");
    const options = () =>
      Array.from((screen.getByLabelText("Action") as HTMLSelectElement).options, (o) => o.value);
    expect(options()).toEqual(["continuous"]);
    await pick("dqn");
    expect(options()).toEqual(["discrete"]);
    await pick("ppo");
    expect(options()).toEqual(["discrete", "continuous"]);
  });

  it("shows a bad evaluation start by its field and sends nothing", async () => {
    const { onSubmit, user, pick } = setup();
    await pick("ppo");
    await user.selectOptions(screen.getByLabelText("Evaluation window"), "start");
    await user.type(screen.getByLabelText("Evaluation start"), "2020-01-01");
    await start(user);
    expect(screen.getByLabelText("Evaluation start")).toHaveAccessibleDescription(
      /The evaluation must start after the data's start and before its end\./,
    );
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it("sends the environment and no supervised parts", async () => {
    const { onSubmit, user, pick } = setup();
    await pick("ppo");
    await user.selectOptions(screen.getByLabelText("Action"), "continuous");
    await user.clear(screen.getByLabelText("Turnover penalty"));
    await user.type(screen.getByLabelText("Turnover penalty"), "0.1");
    await start(user);
    expect(onSubmit).toHaveBeenCalledTimes(1);
    const body = onSubmit.mock.calls[0]?.[0];
    expect(body).not.toHaveProperty("target");
    expect(body).not.toHaveProperty("validation");
    expect(body).not.toHaveProperty("decision");
    expect(body.environment).toEqual({
      action: "continuous",
      episode_bars: 256,
      drawdown_penalty: 0,
      turnover_penalty: 0.1,
      eval_share: 0.2,
      eval_start: null,
    });
  });

  it("puts a 422 naming environment.episode_bars on that field", async () => {
    const { pick, failWith } = setup();
    await pick("ppo");
    failWith(
      new ApiError(422, {
        detail: "the training window holds 200 bars, fewer than episode_bars 256",
        field: "environment.episode_bars",
      }),
    );
    expect(screen.getByLabelText("Episode bars")).toHaveAccessibleDescription(
      /fewer than episode_bars 256/,
    );
  });
});
