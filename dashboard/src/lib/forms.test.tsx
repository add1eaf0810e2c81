import { act, render, renderHook, screen } from "@testing-library/react";
import type { FormEvent } from "react";
import { describe, expect, it, vi } from "vitest";
import { ApiError } from "../api/errors";
import { FormError } from "../components/ui/FormError";
import { useCheckedSubmit, withServerError } from "./forms";

const event = () => ({ preventDefault: vi.fn() }) as unknown as FormEvent;

describe("useCheckedSubmit", () => {
  it("keeps the problems and sends nothing while the check fails, then sends and clears them", () => {
    const send = vi.fn<(request: { n: number }) => void>();
    let n = -1;
    const { result } = renderHook(() =>
      useCheckedSubmit(
        () =>
          n < 0 ? { ok: false, errors: { n: "n must be ≥ 0" } } : { ok: true, request: { n } },
        send,
      ),
    );
    const first = event();
    act(() => result.current.submit(first));
    expect(first.preventDefault).toHaveBeenCalled();
    expect(result.current.errors).toEqual({ n: "n must be ≥ 0" });
    expect(send).not.toHaveBeenCalled();

    n = 3;
    act(() => result.current.submit(event()));
    expect(result.current.errors).toEqual({});
    expect(send).toHaveBeenCalledExactlyOnceWith({ n: 3 });
  });
});

describe("withServerError", () => {
  const error = new ApiError(422, { detail: "start must be a date", field: "start" });

  it("puts the API's message on the field it names", () => {
    expect(withServerError<"start" | "end">({ end: "too early" }, "start", error)).toEqual({
      end: "too early",
      start: "start must be a date",
    });
  });

  it("keeps the form's own message when the field already has one", () => {
    expect(withServerError({ start: "Use YYYY-MM-DD." }, "start", error)).toEqual({
      start: "Use YYYY-MM-DD.",
    });
  });

  it("changes nothing when the error names no field of the form", () => {
    const errors = { end: "too early" };
    expect(withServerError<"start" | "end">(errors, undefined, error)).toBe(errors);
  });
});

describe("FormError", () => {
  it("shows the API's message as an alert", () => {
    render(<FormError error={new ApiError(403, { detail: "sign in to run simulations" })} />);
    expect(screen.getByRole("alert")).toHaveTextContent("sign in to run simulations");
  });

  it("shows nothing without an error", () => {
    const { container } = render(<FormError error={undefined} />);
    expect(container).toBeEmptyDOMElement();
  });
});
