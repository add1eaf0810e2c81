import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { ApiError } from "../../api/errors";
import { StudyForm } from "./StudyForm";
import { STUDY_CATALOGUE } from "./fixtures";

function setup() {
  const onSubmit = vi.fn();
  const props = { catalogue: STUDY_CATALOGUE, sources: [], symbols: ["SP500", "GOOG"], onSubmit };
  const view = render(<StudyForm {...props} />);
  return {
    onSubmit,
    user: userEvent.setup(),
    failWith: (error: ApiError) => view.rerender(<StudyForm {...props} submitError={error} />),
  };
}

const start = (user: ReturnType<typeof userEvent.setup>) =>
  user.click(screen.getByRole("button", { name: "Start study" }));

describe("StudyForm", () => {
  it("sends the checked request", async () => {
    const { user, onSubmit } = setup();
    await user.click(screen.getByRole("checkbox", { name: "dqn" }));
    await user.clear(screen.getByLabelText("Trials"));
    await user.type(screen.getByLabelText("Trials"), "12");
    await user.selectOptions(screen.getByLabelText("Objective"), "oos_total_return_pct");
    await start(user);
    expect(onSubmit).toHaveBeenCalledTimes(1);
    const request = onSubmit.mock.calls[0]?.[0];
    expect(request.algorithms).toEqual(["ppo", "a2c", "dqn"]);
    expect(request.n_trials).toBe(12);
    expect(request.objective).toBe("oos_total_return_pct");
    expect(Object.keys(request.search_space)).toEqual(["ppo", "a2c", "dqn"]);
  });

  it("fixes hyperparameters for every trial and sends the costs and execution", async () => {
    const { user, onSubmit } = setup();
    await user.click(screen.getByText("Fixed for every trial"));
    expect(screen.queryByLabelText("total_timesteps")).not.toBeInTheDocument();
    await user.click(screen.getByRole("checkbox", { name: "Fix total_timesteps" }));
    const timesteps = screen.getByLabelText("total_timesteps");
    expect(timesteps).toHaveValue(20000); // the agents' default, within their range
    expect(timesteps).toHaveAttribute("min", "1000");
    await user.clear(timesteps);
    await user.type(timesteps, "2048");
    await user.clear(screen.getByLabelText("Commission rate"));
    await user.type(screen.getByLabelText("Commission rate"), "0.0002");
    await user.click(screen.getByRole("checkbox", { name: "Allow short positions" }));
    await start(user);
    const request = onSubmit.mock.calls[0]?.[0];
    expect(request.hyperparameters).toEqual({ total_timesteps: 2048 });
    expect(request.costs).toEqual({ commission_rate: 0.0002, slippage_bps: 5, spread_bps: 0 });
    expect(request.execution).toMatchObject({ fill: "next_open", allow_short: true });
  });

  it("shows the API's 422 on a fixed value by its field, and its own check there too", async () => {
    const { user, onSubmit, failWith } = setup();
    await user.click(screen.getByText("Fixed for every trial"));
    await user.click(screen.getByRole("checkbox", { name: "Fix total_timesteps" }));
    failWith(
      new ApiError(422, {
        detail: "total_timesteps = 20000 is not allowed: at most 5000",
        code: "validation_error",
        field: "body.hyperparameters.total_timesteps",
      }),
    );
    expect(screen.getByText("total_timesteps = 20000 is not allowed: at most 5000")).toHaveClass(
      "field-error",
    );
    await user.clear(screen.getByLabelText("total_timesteps"));
    await user.type(screen.getByLabelText("total_timesteps"), "10");
    await start(user);
    expect(onSubmit).not.toHaveBeenCalled();
    expect(
      screen.getByText("total_timesteps must be between 1000 and 10000000."),
    ).toBeInTheDocument();
  });

  it("shows each problem by its field and sends nothing", async () => {
    const { user, onSubmit } = setup();
    await user.clear(screen.getByLabelText("Trials"));
    await user.type(screen.getByLabelText("Trials"), "500");
    await user.click(screen.getByText("ppo ranges"));
    await user.clear(screen.getByLabelText("ppo gamma low"));
    await user.type(screen.getByLabelText("ppo gamma low"), "0.5");
    await start(user);
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByText("Trials must be between 1 and 200.")).toBeInTheDocument();
    expect(screen.getByText("gamma: keep within 0.9–0.9999.")).toBeInTheDocument();
  });

  it("offers the agents of the action kind, and drops those that cannot act in it", async () => {
    const { user, onSubmit } = setup();
    await user.click(screen.getByRole("checkbox", { name: "dqn" }));
    expect(screen.queryByRole("checkbox", { name: "sac" })).not.toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText("Action"), "continuous");
    expect(screen.queryByRole("checkbox", { name: "dqn" })).not.toBeInTheDocument();
    expect(screen.getByRole("checkbox", { name: "sac" })).not.toBeChecked();
    await start(user);
    expect(onSubmit.mock.calls[0]?.[0].algorithms).toEqual(["ppo", "a2c"]);
  });

  it("wants at least one algorithm", async () => {
    const { user, onSubmit } = setup();
    await user.click(screen.getByRole("checkbox", { name: "ppo" }));
    await user.click(screen.getByRole("checkbox", { name: "a2c" }));
    await start(user);
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByRole("alert")).toHaveTextContent("Pick at least one algorithm.");
  });

  it("shows the API's 422 by the field it names", async () => {
    const { failWith } = setup();
    failWith(
      new ApiError(422, {
        detail: "dqn cannot act in continuous actions",
        code: "validation_error",
        field: "body.algorithms",
      }),
    );
    expect(screen.getByRole("alert")).toHaveTextContent("dqn cannot act in continuous actions");
  });
});
