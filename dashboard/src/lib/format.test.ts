import { describe, expect, it } from "vitest";
import { formatDateTime } from "./format";

describe("formatDateTime", () => {
  const now = new Date(2026, 10, 30, 15, 0); // local time, as the page shows it

  it("gives the time alone for a moment of today", () => {
    const text = formatDateTime(new Date(2026, 10, 30, 9, 42).toISOString(), now);
    expect(text).toMatch(/9:42/);
    expect(text).not.toMatch(/2026|26/);
  });

  it("gives the date too for another day, and says when there is none", () => {
    const text = formatDateTime(new Date(2026, 10, 29, 9, 42).toISOString(), now);
    expect(text).toMatch(/29/);
    expect(text).toMatch(/9:42/);
    expect(formatDateTime(null, now)).toBe("—");
    expect(formatDateTime("not a date", now)).toBe("not a date");
  });
});
