import { describe, expect, it } from "vitest";
import type { Source } from "../api/types";
import { intervalFor, offeredIntervals } from "./intervals";

const SOURCES: Source[] = [
  { name: "builtin", description: "Demo", intervals: ["1d"], offline: true },
  { name: "yfinance", description: "Yahoo", intervals: ["1d", "1wk", "1mo"], offline: false },
  { name: "synthetic", description: "Seeded", intervals: ["1h", "1d"], offline: true },
];

describe("offeredIntervals", () => {
  it("lists the source's own intervals", () => {
    expect(offeredIntervals(SOURCES, "yfinance", "1d")).toEqual(["1d", "1wk", "1mo"]);
  });

  it("offers only the chosen interval while the source is not listed", () => {
    expect(offeredIntervals([], "yfinance", "1wk")).toEqual(["1wk"]);
  });
});

describe("intervalFor", () => {
  it("keeps the chosen interval when the new source offers it", () => {
    expect(intervalFor(SOURCES, "synthetic", "1d")).toBe("1d");
  });

  it("falls back to the new source's first interval when it does not", () => {
    expect(intervalFor(SOURCES, "synthetic", "1wk")).toBe("1h");
    expect(intervalFor(SOURCES, "builtin", "1mo")).toBe("1d");
  });

  it("keeps the chosen interval for a source it knows nothing of", () => {
    expect(intervalFor(SOURCES, "elsewhere", "1wk")).toBe("1wk");
  });
});
