import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { ApiError } from "../../api/errors";
import type { Source } from "../../api/types";
import { TrainingForm } from "./TrainingForm";
import { CATALOGUE } from "./fixtures";

const SOURCES: Source[] = [
  {
    name: "builtin",
    description: "",
    intervals: ["1d", "1wk"],
    offline: true,
    close_only_note: null,
  },
];

function setup(submitError?: unknown) {
  const onSubmit = vi.fn();
  render(
    <TrainingForm
      catalogue={CATALOGUE}
      sources={SOURCES}
      symbols={["SP500", "NASDAQ"]}
      onSubmit={onSubmit}
      submitError={submitError}
    />,
  );
  return { onSubmit, user: userEvent.setup() };
}

type User = ReturnType<typeof userEvent.setup>;
async function replace(user: User, label: string, text: string) {
  const input = screen.getByLabelText(label);
  await user.clear(input);
  if (text) await user.type(input, text);
}
const start = (user: User) => user.click(screen.getByRole("button", { name: "Start training" }));

describe("TrainingForm", () => {
  it("builds the first algorithm's hyperparameter inputs from their declared types and ranges", () => {
    setup();
    const c = screen.getByLabelText("C");
    expect(c).toHaveAttribute("type", "number");
    expect(c).toHaveAttribute("min", "0.0001");
    expect(c).toHaveAttribute("max", "10000");
    expect(c).toHaveAttribute("step", "any");
    expect(c).toHaveValue(1);
    expect(screen.getByLabelText("max_iter")).toHaveAttribute("step", "1");
    expect(screen.getByLabelText("class_weight").tagName).toBe("SELECT");
    expect(c).toHaveAccessibleDescription(
      "0.0001–10000, default 1, log scale. inverse L2 strength",
    );
    expect(screen.getByText(/scikit-learn · classification/)).toBeInTheDocument();
    expect(screen.queryByLabelText("Device")).not.toBeInTheDocument();
  });

  it("rebuilds the fields for another algorithm: a checkbox for a bool, a device for the GPU", async () => {
    const { user } = setup();
    await user.selectOptions(screen.getByLabelText("Algorithm"), "random_forest");
    expect(screen.queryByLabelText("C")).not.toBeInTheDocument();
    expect(screen.getByLabelText("n_estimators")).toHaveValue(200);
    expect(screen.getByRole("checkbox", { name: "bootstrap" })).toBeChecked();
    expect(screen.getByLabelText("Device")).toHaveValue("auto");
    expect(screen.getByLabelText("Model name")).toHaveValue("random_forest-sp500");
  });

  it("shows a hyperparameter out of range by its field and sends nothing", async () => {
    const { onSubmit, user } = setup();
    await replace(user, "max_iter", "5");
    await start(user);
    expect(screen.getByLabelText("max_iter")).toHaveAccessibleDescription(
      /max_iter must be between 10 and 10000\./,
    );
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it("opens a folded section that holds an error, and sends nothing", async () => {
    const { onSubmit, user } = setup();
    const validation = screen.getByText("Validation").closest("details");
    expect(validation).not.toHaveAttribute("open");
    await replace(user, "Folds", "25");
    await user.click(screen.getByText("Features"));
    await user.click(screen.getByRole("checkbox", { name: /returns period 1/ }));
    await user.click(screen.getByRole("checkbox", { name: /lagged_return lag 1, 2/ }));
    await start(user);
    expect(validation).toHaveAttribute("open");
    expect(screen.getByText("Folds must be at most 20.")).toBeInTheDocument();
    expect(screen.getByText("Pick at least one feature.")).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it("sends the request once every field is valid", async () => {
    const { onSubmit, user } = setup();
    await replace(user, "C", "0.5");
    await replace(user, "Model name", "lr-check");
    await user.selectOptions(screen.getByLabelText("Interval"), "1wk");
    await start(user);
    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(onSubmit.mock.calls[0]?.[0]).toMatchObject({
      algorithm: "logistic_regression",
      hyperparameters: { C: 0.5, max_iter: 200, class_weight: "none" },
      model_name: "lr-check",
      interval: "1wk",
      symbols: ["SP500"],
    });
  });

  it("puts the API's 422 on the field it names", () => {
    const error = new ApiError(422, {
      detail:
        "logistic_regression: hyperparameter 'max_iter' must be a whole number from 10 to 10000, got 5",
      code: "invalid_input",
      field: "hyperparameters.max_iter",
    });
    setup(error);
    expect(screen.getByLabelText("max_iter")).toHaveAccessibleDescription(/got 5/);
    const form = screen.getByRole("form", { name: "New training" });
    expect(within(form).getAllByRole("alert")).toHaveLength(1);
  });

  // Each control files its problems under the API's name for it (a 422's `field`).
  it.each([
    ["Symbols", "symbols"],
    ["Start", "start"],
    ["End", "end"],
    ["Interval", "interval"],
    ["Target", "target.kind"],
    ["Horizon (bars)", "target.horizon"],
    ["Dead zone", "target.dead_zone"],
    ["Scheme", "validation.method"],
    ["Folds", "validation.n_folds"],
    ["Embargo (bars)", "validation.embargo_bars"],
    ["Training window", "validation.window"],
    ["Minimum training bars", "validation.min_train_bars"],
    ["Long above", "decision.long_above"],
    ["Short below", "decision.short_below"],
    ["Initial cash", "initial_cash"],
    ["Seed", "seed"],
  ])("puts a 422 on %s under %s", (label, field) => {
    setup(new ApiError(422, { detail: `${field} is refused`, field }));
    expect(screen.getByLabelText(label)).toHaveAccessibleDescription(
      new RegExp(`${field} is refused`),
    );
  });

  it("shows a 422 on a field the form does not show above the button", () => {
    setup(
      new ApiError(422, { detail: "costs.slippage_bps: too high", field: "costs.slippage_bps" }),
    );
    expect(screen.getByRole("alert")).toHaveTextContent("costs.slippage_bps: too high");
  });
});
