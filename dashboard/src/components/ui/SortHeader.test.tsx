import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ComponentProps } from "react";
import { describe, expect, it, vi } from "vitest";
import { SortHeader, signedSortDirection } from "./SortHeader";

function renderHeader(props: ComponentProps<typeof SortHeader>) {
  render(
    <table>
      <thead>
        <tr>
          <SortHeader {...props} />
        </tr>
      </thead>
    </table>,
  );
  return screen.getByRole("columnheader");
}

describe("signedSortDirection", () => {
  it.each([
    ["pnl", "pnl", "ascending"],
    ["-pnl", "pnl", "descending"],
    ["pnl", "symbol", undefined],
    ["-params.fast", "params.fast", "descending"],
    // a key that only ends like the sorted one is another column
    ["-xpnl", "pnl", undefined],
  ])("sort %s, column %s → %s", (sort, key, expected) => {
    expect(signedSortDirection(sort, key)).toBe(expected);
  });
});

describe("SortHeader", () => {
  it("marks the sorted column ascending with an up arrow hidden from screen readers", () => {
    const header = renderHeader({ label: "P&L", direction: "ascending", onSort: () => {} });
    expect(header).toHaveAttribute("aria-sort", "ascending");
    expect(header).toHaveTextContent("P&L ▲");
    expect(screen.getByRole("button", { name: "P&L" })).toBeInTheDocument();
  });

  it("marks a descending column with a down arrow", () => {
    const header = renderHeader({ label: "P&L", direction: "descending", onSort: () => {} });
    expect(header).toHaveAttribute("aria-sort", "descending");
    expect(header).toHaveTextContent("P&L ▼");
  });

  it("has no aria-sort and no arrow when another column is sorted", () => {
    const header = renderHeader({ label: "P&L", direction: undefined, onSort: () => {} });
    expect(header).not.toHaveAttribute("aria-sort");
    expect(header.textContent).toBe("P&L");
  });

  it("sorts when its button is clicked", async () => {
    const onSort = vi.fn();
    renderHeader({ label: "Return", direction: undefined, onSort });
    await userEvent.setup().click(screen.getByRole("button", { name: "Return" }));
    expect(onSort).toHaveBeenCalledOnce();
  });

  it("is plain text, without a button, for a column that cannot be sorted", () => {
    const header = renderHeader({ label: "Side", direction: undefined });
    expect(header.textContent).toBe("Side");
    expect(screen.queryByRole("button")).toBeNull();
  });
});
