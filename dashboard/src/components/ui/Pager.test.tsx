import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ComponentProps } from "react";
import { describe, expect, it, vi } from "vitest";
import { Pager } from "./Pager";

function renderPager(props: Partial<ComponentProps<typeof Pager>> = {}) {
  const onOffset = vi.fn<(offset: number) => void>();
  render(
    <Pager
      label="Things pages"
      offset={0}
      shown={10}
      total={25}
      pageSize={10}
      onOffset={onOffset}
      {...props}
    />,
  );
  return { onOffset, user: userEvent.setup() };
}

const button = (name: string) => screen.getByRole("button", { name });

describe("Pager", () => {
  it("is a navigation landmark with the given name", () => {
    renderPager();
    expect(screen.getByRole("navigation", { name: "Things pages" })).toBeInTheDocument();
  });

  it("on the first page: says 1–10 of 25, Previous disabled, Next asks for offset 10", async () => {
    const { onOffset, user } = renderPager();
    expect(screen.getByText("1–10 of 25")).toHaveAttribute("aria-live", "polite");
    expect(button("Previous")).toBeDisabled();
    expect(button("Next")).toBeEnabled();
    await user.click(button("Next"));
    expect(onOffset).toHaveBeenCalledExactlyOnceWith(10);
  });

  it("in the middle: both enabled, each moves one page", async () => {
    const { onOffset, user } = renderPager({ offset: 10 });
    expect(screen.getByText("11–20 of 25")).toBeInTheDocument();
    await user.click(button("Previous"));
    await user.click(button("Next"));
    expect(onOffset.mock.calls).toEqual([[0], [20]]);
  });

  it("on a short last page: counts only the rows shown, Next disabled", async () => {
    const { onOffset, user } = renderPager({ offset: 20, shown: 5 });
    expect(screen.getByText("21–25 of 25")).toBeInTheDocument();
    expect(button("Next")).toBeDisabled();
    await user.click(button("Previous"));
    expect(onOffset).toHaveBeenCalledExactlyOnceWith(10);
  });

  it("never asks for a negative offset from a page that starts off the grid", async () => {
    const { onOffset, user } = renderPager({ offset: 4, shown: 10 });
    expect(screen.getByText("5–14 of 25")).toBeInTheDocument();
    await user.click(button("Previous"));
    expect(onOffset).toHaveBeenCalledExactlyOnceWith(0);
  });

  it("with nothing shown: 0–0 of 0 and both buttons disabled", () => {
    renderPager({ shown: 0, total: 0 });
    expect(screen.getByText("0–0 of 0")).toBeInTheDocument();
    expect(button("Previous")).toBeDisabled();
    expect(button("Next")).toBeDisabled();
  });

  it("adds its note inside the same live text", () => {
    renderPager({ note: " (the best of 1,000)" });
    expect(screen.getByText("1–10 of 25 (the best of 1,000)")).toHaveAttribute(
      "aria-live",
      "polite",
    );
  });
});
