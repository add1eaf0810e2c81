import { describe, expect, it } from "vitest";
import { dayLabel, monthTick } from "./timeChart";

// 2020-02-29T23:30:00Z: late on the last day of a leap February, in UTC
const LATE_LEAP_DAY = Date.UTC(2020, 1, 29, 23, 30);

describe("time chart labels", () => {
  it("ticks show the UTC month", () => {
    expect(monthTick(LATE_LEAP_DAY)).toBe("2020-02");
  });

  it("tooltips show the UTC day", () => {
    expect(dayLabel(LATE_LEAP_DAY)).toBe("2020-02-29");
  });

  it("tooltips show nothing for a label that is not a time", () => {
    expect(dayLabel("Strategy")).toBe("");
    expect(dayLabel(undefined)).toBe("");
  });
});
