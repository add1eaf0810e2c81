import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { ApiError } from "../../api/errors";
import { ModelEditor } from "./ModelEditor";

function setup(props: Partial<Parameters<typeof ModelEditor>[0]> = {}) {
  const onSave = vi.fn();
  render(
    <ModelEditor
      model={{ stage: "staging", tags: ["baseline", "sp500"], note: "first try" }}
      onSave={onSave}
      {...props}
    />,
  );
  return { onSave, user: userEvent.setup() };
}

const save = () => screen.getByRole("button", { name: "Save changes" });

describe("ModelEditor", () => {
  it("adds and removes tags, then sends only the tags", async () => {
    const { onSave, user } = setup();
    await user.type(screen.getByLabelText("New tag"), "v2:candidate{Enter}");
    await user.click(screen.getByRole("button", { name: "Remove tag baseline" }));
    const chips = within(screen.getByRole("list", { name: "Tags" })).getAllByRole("listitem");
    expect(chips.map((c) => c.textContent?.replace("×", ""))).toEqual(["sp500", "v2:candidate"]);
    await user.click(save());
    expect(onSave).toHaveBeenCalledWith({ tags: ["sp500", "v2:candidate"] });
  });

  it("refuses a tag with a space or one already there, and adds nothing", async () => {
    const { user } = setup();
    await user.type(screen.getByLabelText("New tag"), "two words");
    await user.click(screen.getByRole("button", { name: "Add tag" }));
    expect(screen.getByText(/1 to 64 letters, digits or _ \. : -/)).toBeInTheDocument();
    await user.clear(screen.getByLabelText("New tag"));
    await user.type(screen.getByLabelText("New tag"), "sp500");
    await user.click(screen.getByRole("button", { name: "Add tag" }));
    expect(screen.getByText("sp500 is already a tag.")).toBeInTheDocument();
    expect(screen.getAllByRole("listitem")).toHaveLength(2);
  });

  it("sends a changed note and stage together", async () => {
    const { onSave, user } = setup();
    await user.selectOptions(screen.getByLabelText("Stage"), "production");
    expect(screen.getByText(/current production version becomes archived/)).toBeInTheDocument();
    await user.clear(screen.getByLabelText("Note"));
    await user.type(screen.getByLabelText("Note"), "beats v1 out of sample");
    await user.click(save());
    expect(onSave).toHaveBeenCalledWith({ stage: "production", note: "beats v1 out of sample" });
  });

  it("sends nothing when nothing changed", async () => {
    const { onSave, user } = setup();
    await user.click(save());
    expect(screen.getByText("Nothing changed to save.")).toBeInTheDocument();
    expect(onSave).not.toHaveBeenCalled();
  });

  it("shows the API's refusal", () => {
    setup({ error: new ApiError(404, { detail: "no model with id 'm1'", code: "not_found" }) });
    expect(screen.getByRole("alert")).toHaveTextContent("no model with id 'm1'");
  });
});
