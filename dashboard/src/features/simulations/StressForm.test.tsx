import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { ApiError } from "../../api/errors";
import { StressForm } from "./StressForm";

function setup(submitError?: unknown) {
  const onSubmit = vi.fn();
  render(<StressForm onSubmit={onSubmit} submitError={submitError} />);
  return { onSubmit, user: userEvent.setup() };
}

async function replace(user: ReturnType<typeof userEvent.setup>, label: string, text: string) {
  const input = screen.getByLabelText(label);
  await user.clear(input);
  if (text) await user.type(input, text);
}

const run = () => screen.getByRole("button", { name: "Run stress test" });

describe("StressForm", () => {
  it("sends small defaults the API accepts", async () => {
    const { onSubmit, user } = setup();
    await user.click(run());
    expect(onSubmit).toHaveBeenCalledWith({
      n_scenarios: 50,
      methods: ["bootstrap", "garch"],
      block_size: 20,
      commission_multipliers: [1, 2],
      slippage_multipliers: [1, 3],
      extra_delay_bars: [0, 1],
      seed: 0,
      chunk_size: 25,
    });
  });

  it("refuses too few scenarios, a fractional block and a negative seed, and sends nothing", async () => {
    const { onSubmit, user } = setup();
    await replace(user, "Scenarios", "5");
    await replace(user, "Block size", "2.5");
    await replace(user, "Seed", "-1");
    await user.click(run());
    expect(screen.getByText("Scenarios must be between 10 and 10,000.")).toBeInTheDocument();
    expect(screen.getByLabelText("Scenarios")).toHaveAccessibleDescription(
      /Scenarios must be between 10 and 10,000/,
    );
    expect(screen.getByText("Block size must be a whole number.")).toBeInTheDocument();
    expect(screen.getByText("Seed must be 0 or more.")).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it("refuses negative multipliers, delays past 50 bars, empty lists and no method", async () => {
    const { onSubmit, user } = setup();
    await replace(user, "Commission multipliers", "1, -2");
    await replace(user, "Slippage multipliers", "");
    await replace(user, "Extra delay (bars)", "0 60");
    await user.click(screen.getByRole("checkbox", { name: /bootstrap/ }));
    await user.click(screen.getByRole("checkbox", { name: /garch/ }));
    await user.click(run());
    expect(
      screen.getByText('Commission multipliers: "-2" is not a number of 0 or more.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText("Slippage multipliers: give at least one, e.g. 1, 2."),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Extra delays: "60" must be whole bars from 0 to 50.'),
    ).toBeInTheDocument();
    expect(screen.getByText("Pick at least one method.")).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it("sends the lists and the one method chosen once the fields are fixed", async () => {
    const { onSubmit, user } = setup();
    await replace(user, "Scenarios", "5");
    await user.click(run());
    expect(onSubmit).not.toHaveBeenCalled();
    await replace(user, "Scenarios", "30");
    await replace(user, "Slippage multipliers", "1 2.5 4");
    await user.click(screen.getByRole("checkbox", { name: /garch/ }));
    await user.click(run());
    expect(screen.queryByText(/Scenarios must be/)).not.toBeInTheDocument();
    expect(onSubmit).toHaveBeenCalledTimes(1);
    expect(onSubmit.mock.calls[0]?.[0]).toMatchObject({
      n_scenarios: 30,
      methods: ["bootstrap"],
      slippage_multipliers: [1, 2.5, 4],
    });
  });

  it("shows the API's 422 next to the field it names", () => {
    setup(
      new ApiError(422, {
        detail: "n_scenarios 5000 exceeds the limit of 1000 (MAX_STRESS_SCENARIOS)",
        code: "invalid_input",
        field: "n_scenarios",
      }),
    );
    expect(screen.getByLabelText("Scenarios")).toHaveAccessibleDescription(
      /exceeds the limit of 1000/,
    );
  });

  it("shows an error the API gives without a field above the button", () => {
    setup(new ApiError(409, { detail: "simulation abc is running; stress-test a finished one" }));
    expect(screen.getByRole("alert")).toHaveTextContent("stress-test a finished one");
  });
});
