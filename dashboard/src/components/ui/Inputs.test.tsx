import { fireEvent, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { InputField, SelectField } from "./Inputs";

describe("InputField", () => {
  it("is labelled, described by its hint, and hands back the typed text", async () => {
    const onChange = vi.fn<(value: string) => void>();
    render(<InputField label="Start" hint="YYYY-MM-DD" value="" onChange={onChange} />);
    const input = screen.getByLabelText("Start");
    expect(input).toHaveAccessibleDescription("YYYY-MM-DD");
    expect(input).not.toHaveAttribute("aria-invalid");
    await userEvent.setup().type(input, "2");
    expect(onChange).toHaveBeenCalledExactlyOnceWith("2");
  });

  it("when invalid: marked so, with its message as an alert it is described by", () => {
    render(
      <InputField
        label="End"
        hint="YYYY-MM-DD"
        error="Use YYYY-MM-DD."
        value="x"
        onChange={() => {}}
      />,
    );
    const input = screen.getByLabelText("End");
    expect(input).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByRole("alert")).toHaveTextContent("Use YYYY-MM-DD.");
    expect(input).toHaveAccessibleDescription("YYYY-MM-DD Use YYYY-MM-DD.");
  });

  it("passes input attributes through and offers its suggestions in a datalist", () => {
    const { container } = render(
      <InputField
        label="Symbol"
        inputMode="decimal"
        value=""
        onChange={() => {}}
        suggestions={["SP500", { value: "GOOG", label: "Alphabet" }]}
      />,
    );
    const input = screen.getByLabelText("Symbol");
    expect(input).toHaveAttribute("inputmode", "decimal");
    const list = container.querySelector(
      `datalist#${CSS.escape(input.getAttribute("list") ?? "")}`,
    );
    const options = [...(list?.querySelectorAll("option") ?? [])];
    expect(options.map((o) => [o.value, o.textContent])).toEqual([
      ["SP500", ""],
      ["GOOG", "Alphabet"],
    ]);
  });

  it("has no list without suggestions", () => {
    render(<InputField label="Seed" value="1" onChange={() => {}} />);
    expect(screen.getByLabelText("Seed")).not.toHaveAttribute("list");
  });
});

describe("SelectField", () => {
  it("shows each choice by its label and hands back its value", () => {
    const onChange = vi.fn<(value: string) => void>();
    render(
      <SelectField
        label="Scheme"
        value="walk_forward"
        options={[{ value: "walk_forward", label: "walk-forward" }, "purged_kfold"]}
        onChange={onChange}
      />,
    );
    const select = screen.getByLabelText("Scheme");
    expect(screen.getAllByRole("option").map((o) => o.textContent)).toEqual([
      "walk-forward",
      "purged_kfold",
    ]);
    fireEvent.change(select, { target: { value: "purged_kfold" } });
    expect(onChange).toHaveBeenCalledExactlyOnceWith("purged_kfold");
  });

  it("when invalid: marked so, with its message below", () => {
    render(
      <SelectField
        label="Source"
        error="Unknown source."
        value="a"
        options={["a"]}
        onChange={() => {}}
      />,
    );
    expect(screen.getByLabelText("Source")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByRole("alert")).toHaveTextContent("Unknown source.");
  });
});
