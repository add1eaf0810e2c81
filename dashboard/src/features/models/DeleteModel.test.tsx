import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { ApiError } from "../../api/errors";
import { DeleteModel } from "./DeleteModel";

function setup(error?: unknown) {
  const onDelete = vi.fn();
  render(<DeleteModel name="demo-xgb" version={3} onDelete={onDelete} error={error} />);
  return { onDelete, user: userEvent.setup() };
}

describe("DeleteModel", () => {
  it("deletes only once the model's name is typed in the dialog", async () => {
    const { onDelete, user } = setup();
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Delete model" }));
    expect(screen.getByRole("dialog", { name: "Delete demo-xgb v3?" })).toBeInTheDocument();
    const confirm = screen.getByRole("button", { name: "Delete for good" });
    expect(confirm).toBeDisabled();
    await user.type(screen.getByLabelText("Type demo-xgb to confirm"), "demo-xg");
    await user.keyboard("{Enter}");
    expect(onDelete).not.toHaveBeenCalled();
    await user.type(screen.getByLabelText("Type demo-xgb to confirm"), "b");
    await user.click(confirm);
    expect(onDelete).toHaveBeenCalledTimes(1);
  });

  it("closes on Cancel without deleting", async () => {
    const { onDelete, user } = setup();
    await user.click(screen.getByRole("button", { name: "Delete model" }));
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(onDelete).not.toHaveBeenCalled();
  });

  it("shows why the API refused, e.g. a model in production", async () => {
    const refusal = new ApiError(409, { detail: "demo-xgb v3 is in production; archive it first" });
    const { user } = setup(refusal);
    await user.click(screen.getByRole("button", { name: "Delete model" }));
    expect(screen.getByRole("alert")).toHaveTextContent("is in production; archive it first");
  });
});
