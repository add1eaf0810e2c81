import { describe, expect, it } from "vitest";
import { DEFAULT_SELECTION, checkSelection, selectionFrom, toSearchParams } from "./selection";

describe("selection in the URL", () => {
  it("reads a shared URL and fills what it leaves out with the defaults", () => {
    const selection = selectionFrom(new URLSearchParams("symbol=SP500&start=2018-01-02"));
    expect(selection).toEqual({
      source: "builtin",
      symbol: "SP500",
      interval: "1d",
      start: "2018-01-02",
      end: "",
    });
  });

  it("writes only the fields that are set, in a stable order", () => {
    const params = toSearchParams({ ...DEFAULT_SELECTION, symbol: " GOOG ", end: "2019-12-31" });
    expect(params.toString()).toBe("source=builtin&symbol=GOOG&interval=1d&end=2019-12-31");
  });
});

describe("checkSelection", () => {
  const ok = { source: "builtin", symbol: "SP500", interval: "1wk", start: "", end: "" };

  it("makes the bars query, leaving out empty dates", () => {
    expect(checkSelection(ok, ["1d", "1wk"])).toEqual({
      ok: true,
      query: { source: "builtin", symbol: "SP500", interval: "1wk" },
    });
  });

  it("accepts the tickers sources use and one-day ranges", () => {
    for (const symbol of ["^GSPC", "EURUSD=X", "BTC-USD", "BRK.B"]) {
      expect(checkSelection({ ...ok, symbol }).ok).toBe(true);
    }
    const oneDay = checkSelection({ ...ok, start: "2018-01-02", end: "2018-01-02" });
    expect(oneDay).toMatchObject({ ok: true, query: { start: "2018-01-02", end: "2018-01-02" } });
  });

  it("names every problem with a message that says the fix", () => {
    const result = checkSelection(
      { source: "builtin", symbol: ".AAPL", interval: "1h", start: "2018-02-30", end: "2018-13" },
      ["1d", "1wk", "1mo"],
    );
    expect(result).toEqual({
      ok: false,
      errors: {
        symbol:
          '".AAPL" is not a symbol: 1–32 letters, digits and . ^ = _ - (not starting with ".").',
        interval: "builtin offers 1d, 1wk, 1mo; choose one of them.",
        start: "Use a date as YYYY-MM-DD, or leave it empty.",
        end: "Use a date as YYYY-MM-DD, or leave it empty.",
      },
    });
  });

  it("refuses a missing symbol and dates in the wrong order", () => {
    const result = checkSelection({ ...ok, symbol: "  ", start: "2018-05-01", end: "2018-04-30" });
    expect(result).toEqual({
      ok: false,
      errors: {
        symbol: "Give a symbol, e.g. SP500.",
        end: "The end must not come before the start.",
      },
    });
  });
});
