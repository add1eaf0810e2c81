import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { Strategy } from "../../api/types";
import { SimulationForm } from "./SimulationForm";

const SMA: Strategy = {
  name: "sma_crossover",
  description: "Long while the fast average is above the slow one.",
  params: {
    fast: { default: 20, min: 2, max: 200, integer: true, description: "fast window" },
    slow: { default: 100, min: 5, max: 500, integer: true, description: "slow window" },
  },
};

function setup() {
  const onSubmit = vi.fn();
  render(
    <SimulationForm
      strategies={[SMA]}
      sources={["builtin"]}
      symbols={["SP500", "NASDAQ"]}
      onSubmit={onSubmit}
    />,
  );
  return { onSubmit, user: userEvent.setup() };
}

async function replace(user: ReturnType<typeof userEvent.setup>, label: string, text: string) {
  const input = screen.getByLabelText(label);
  await user.clear(input);
  if (text) await user.type(input, text);
}

describe("SimulationForm", () => {
  it("builds its parameter fields from the strategy, with the defaults filled in", () => {
    setup();
    expect(screen.getByLabelText("fast")).toHaveValue("20");
    expect(screen.getByLabelText("slow")).toHaveValue("100");
    expect(screen.getByText(/2–200, default 20/)).toBeInTheDocument();
  });

  it("shows the message of a parameter out of its range and submits nothing", async () => {
    const { onSubmit, user } = setup();
    await replace(user, "fast", "1000");
    await user.click(screen.getByRole("button", { name: "Run simulation" }));
    expect(screen.getByText("fast must be between 2 and 200.")).toBeInTheDocument();
    expect(screen.getByLabelText("fast")).toHaveAccessibleDescription(
      /fast must be between 2 and 200/,
    );
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it("refuses a fractional window, an unknown symbol, dates in the wrong order and zero cash", async () => {
    const { onSubmit, user } = setup();
    await replace(user, "slow", "50.5");
    await replace(user, "Symbols", "SP500, AAPLX");
    await replace(user, "Start", "2018-01-01");
    await replace(user, "End", "2017-01-01");
    await replace(user, "Initial cash", "0");
    await user.click(screen.getByRole("button", { name: "Run simulation" }));
    expect(screen.getByText("slow must be a whole number.")).toBeInTheDocument();
    expect(
      screen.getByText("AAPLX is not a symbol of builtin; pick one from the list."),
    ).toBeInTheDocument();
    expect(screen.getByText("The end must come after the start.")).toBeInTheDocument();
    expect(screen.getByText("Initial cash must be above 0.")).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it("sends the request the API expects once every field is valid", async () => {
    const { onSubmit, user } = setup();
    await replace(user, "fast", "10");
    await replace(user, "Symbols", "SP500 NASDAQ");
    await replace(user, "Stop loss", "0.05");
    await user.click(screen.getByRole("button", { name: "Run simulation" }));
    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(onSubmit.mock.calls[0]?.[0]).toMatchObject({
      strategy: "sma_crossover",
      params: { fast: 10, slow: 100 },
      source: "builtin",
      symbols: ["SP500", "NASDAQ"],
      start: "2010-01-01",
      end: "2018-12-31",
      initial_cash: 100000,
      costs: { commission_rate: 0.0005, slippage_bps: 2, spread_bps: 0 },
      execution: { fill: "next_open", stop_loss: 0.05, take_profit: null },
    });
  });

  it("clears a message once its field is fixed", async () => {
    const { onSubmit, user } = setup();
    await replace(user, "Commission rate", "1.5");
    await user.click(screen.getByRole("button", { name: "Run simulation" }));
    expect(screen.getByText("Commission rate must be below 1.")).toBeInTheDocument();
    await replace(user, "Commission rate", "0.001");
    await user.click(screen.getByRole("button", { name: "Run simulation" }));
    expect(screen.queryByText("Commission rate must be below 1.")).not.toBeInTheDocument();
    expect(onSubmit).toHaveBeenCalledTimes(1);
  });
});
