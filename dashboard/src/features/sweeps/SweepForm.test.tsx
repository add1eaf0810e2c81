import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { ApiError } from "../../api/errors";
import type { Strategy } from "../../api/types";
import { SweepForm } from "./SweepForm";

const HOLD: Strategy = { name: "buy_and_hold", description: "Hold.", params: {} };
const SMA: Strategy = {
  name: "sma_crossover",
  description: "Long while the fast average is above the slow one.",
  params: {
    // wider than the API's strategy (max 500), so that a grid can pass the 1,000,000 limit
    fast: { default: 20, min: 2, max: 5000, integer: true, description: "fast window" },
    slow: { default: 50, min: 3, max: 1000, integer: true, description: "slow window" },
  },
};

function setup() {
  const onSubmit = vi.fn();
  render(
    <SweepForm
      strategies={[HOLD, SMA]}
      sources={["builtin"]}
      symbols={["SP500", "NASDAQ"]}
      onSubmit={onSubmit}
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

async function smallGrid(user: User) {
  await replace(user, "fast start", "5");
  await replace(user, "fast stop", "20");
  await replace(user, "fast step", "5");
  await replace(user, "slow start", "30");
  await replace(user, "slow stop", "90");
  await replace(user, "slow step", "20");
}

const run = (user: User) => user.click(screen.getByRole("button", { name: "Run sweep" }));

describe("SweepForm", () => {
  it("offers only strategies with parameters and starts with a range for each", () => {
    setup();
    expect(screen.getByLabelText("Strategy")).toHaveValue("sma_crossover");
    expect(screen.queryByRole("option", { name: "buy_and_hold" })).not.toBeInTheDocument();
    // default 20: half to twice it, step a quarter: 10, 15, … 40; default 50: 25, 38, … 90 (13).
    expect(screen.getByLabelText("fast start")).toHaveValue("10");
    expect(screen.getByLabelText("slow step")).toHaveValue("13");
  });

  it("counts the combinations as the grid is typed", async () => {
    const { user } = setup();
    await smallGrid(user);
    expect(screen.getByRole("status")).toHaveTextContent("16 combinations");
    await user.selectOptions(screen.getByLabelText("slow values"), "list of values");
    await replace(user, "slow list", "50 100");
    expect(screen.getByRole("status")).toHaveTextContent("8 combinations");
    await user.selectOptions(screen.getByLabelText("slow values"), "one value");
    expect(screen.getByRole("status")).toHaveTextContent("4 combinations");
  });

  it("shows each invalid parameter's message and submits nothing", async () => {
    const { onSubmit, user } = setup();
    await replace(user, "fast step", "0");
    await replace(user, "slow start", "1");
    await replace(user, "Symbols", "");
    await run(user);
    expect(screen.getByText("The step of fast must be above 0.")).toBeInTheDocument();
    expect(screen.getByText("slow must stay between 3 and 1000.")).toBeInTheDocument();
    expect(screen.getByText("Give at least one symbol, e.g. SP500.")).toBeInTheDocument();
    expect(screen.getByLabelText("fast step")).toHaveAccessibleDescription(
      /The step of fast must be above 0/,
    );
    expect(screen.getByRole("status")).toHaveTextContent("Fix the grid");
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it("refuses a grid over the limit before sending it", async () => {
    const { onSubmit, user } = setup();
    // 2..2000 is 1,999 values, 3..1000 is 998: 1,995,002 combinations.
    await replace(user, "fast start", "2");
    await replace(user, "fast stop", "2000");
    await replace(user, "fast step", "1");
    await replace(user, "slow start", "3");
    await replace(user, "slow stop", "1000");
    await replace(user, "slow step", "1");
    expect(screen.getByRole("status")).toHaveTextContent(
      "1,995,002 combinations — over the limit of 1,000,000",
    );
    await run(user);
    expect(
      screen.getByText(
        "The grid has 1,995,002 combinations; the limit is 1,000,000: use fewer values or larger steps.",
      ),
    ).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it("asks for at least one swept parameter", async () => {
    const { onSubmit, user } = setup();
    await user.selectOptions(screen.getByLabelText("fast values"), "one value");
    await user.selectOptions(screen.getByLabelText("slow values"), "one value");
    await run(user);
    expect(screen.getByText(/Sweep at least one parameter/)).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it("sends the grid, the fixed parameters and the metric the API expects", async () => {
    const { onSubmit, user } = setup();
    await smallGrid(user);
    await user.selectOptions(screen.getByLabelText("slow values"), "list of values");
    await replace(user, "slow list", "30, 60");
    await user.selectOptions(screen.getByLabelText("Rank by"), "Calmar ratio");
    await run(user);
    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(onSubmit.mock.calls[0]?.[0]).toEqual({
      strategy: "sma_crossover",
      params: {},
      grid: { fast: { start: 5, stop: 20, step: 5 }, slow: [30, 60] },
      metric: "calmar",
      source: "builtin",
      symbols: ["SP500"],
      start: "2010-01-01",
      end: "2018-12-31",
      initial_cash: 100000,
      costs: { commission_rate: 0.0005, slippage_bps: 2, spread_bps: 0 },
      execution: {
        fill: "next_open",
        position_size: 1,
        allow_short: false,
        stop_loss: null,
        take_profit: null,
      },
    });
  });

  it("sends a parameter given one value as a fixed parameter, outside the grid", async () => {
    const { onSubmit, user } = setup();
    await smallGrid(user);
    await user.selectOptions(screen.getByLabelText("slow values"), "one value");
    await replace(user, "slow value", "60");
    await run(user);
    expect(onSubmit.mock.calls[0]?.[0]).toMatchObject({
      params: { slow: 60 },
      grid: { fast: { start: 5, stop: 20, step: 5 } },
    });
  });

  it("shows the API's refusal next to the field it names, or on its own when it names none", () => {
    const props = {
      strategies: [SMA],
      sources: ["builtin"],
      symbols: ["SP500"],
      onSubmit: vi.fn(),
    };
    const limit = new ApiError(422, {
      detail: "the grid has 16 combinations; the limit is 10 (MAX_SWEEP_COMBINATIONS)",
      code: "validation_error",
      field: "grid",
    });
    const { unmount } = render(<SweepForm {...props} submitError={limit} />);
    expect(screen.getByRole("alert")).toHaveTextContent("the limit is 10");
    unmount();
    const origin = new ApiError(403, {
      detail: "this write came from a page of another site",
      code: "bad_origin",
      field: "Referer",
    });
    render(<SweepForm {...props} submitError={origin} />);
    expect(screen.getByRole("alert")).toHaveTextContent(
      "this write came from a page of another site",
    );
  });
});
