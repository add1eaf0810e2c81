import { describe, expect, it } from "vitest";
import { checkDownload } from "./download";

const values = {
  source: "yfinance",
  symbols: "AAPL, ^GSPC  EURUSD=X",
  interval: "1d",
  start: "",
  end: "",
};

describe("checkDownload", () => {
  it("splits the symbols on commas and spaces and leaves empty dates out", () => {
    expect(checkDownload(values)).toEqual({
      ok: true,
      request: {
        source: "yfinance",
        symbols: ["AAPL", "^GSPC", "EURUSD=X"],
        interval: "1d",
        start: null,
        end: null,
      },
    });
  });

  it("refuses no symbols, more than 100, a bad one, and dates in the wrong order", () => {
    expect(checkDownload({ ...values, symbols: " , " })).toMatchObject({
      errors: { symbols: "Give at least one symbol, e.g. SP500." },
    });
    const many = Array.from({ length: 101 }, (_, i) => `S${i}`).join(",");
    expect(checkDownload({ ...values, symbols: many })).toMatchObject({
      errors: { symbols: "At most 100 symbols a job; split the list." },
    });
    expect(checkDownload({ ...values, symbols: "AAPL, A$B" })).toMatchObject({
      errors: { symbols: '"A$B" is not a symbol: letters, digits and . ^ = _ - only.' },
    });
    expect(checkDownload({ ...values, start: "2020-02-01", end: "2020-01-31" })).toMatchObject({
      errors: { end: "The end must not come before the start." },
    });
  });
});
