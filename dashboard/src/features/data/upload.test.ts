import { describe, expect, it } from "vitest";
import { MAX_UPLOAD_BYTES, checkUpload, stem } from "./upload";

const file = (name: string, size = 10) => new File(["x".repeat(size)], name);

describe("checkUpload", () => {
  it("passes a CSV or Parquet file whose name can be its symbol", () => {
    for (const name of ["AAPL.csv", "spy.parquet", "x.PQ", "BTC-USD.txt"]) {
      expect(checkUpload(file(name), "").ok).toBe(true);
    }
    expect(checkUpload(file("prices.csv"), " MYSYM ")).toMatchObject({ ok: true, symbol: "MYSYM" });
  });

  it("asks for a file when none is chosen", () => {
    expect(checkUpload(undefined, "")).toEqual({
      ok: false,
      errors: { file: "Choose a CSV or Parquet file to upload." },
    });
  });

  it("refuses other formats, empty files and files over the limit", () => {
    expect(checkUpload(file("bars.xlsx"), "")).toMatchObject({
      errors: {
        file: "bars.xlsx is not a .csv or .parquet file; export the bars as CSV or Parquet.",
      },
    });
    expect(checkUpload(file("a.csv", 0), "")).toMatchObject({
      errors: { file: "a.csv is empty; it needs a date column and open, high, low, close." },
    });
    expect(MAX_UPLOAD_BYTES).toBe(52_428_800);
    // 3 MiB against a 2 MiB limit
    expect(checkUpload(file("big.csv", 3 * 2 ** 20), "", 2 * 2 ** 20)).toMatchObject({
      errors: { file: "big.csv is 3.0 MiB; uploads are limited to 2.0 MiB: split the file." },
    });
  });

  it("checks the symbol as the API will, or the file name standing in for it", () => {
    expect(checkUpload(file("a.csv"), "my sym")).toMatchObject({
      errors: {
        symbol: '"my sym" is not a symbol: 1–32 letters, digits and . _ - (not starting with ".").',
      },
    });
    expect(checkUpload(file("my prices.csv"), "")).toMatchObject({
      errors: { symbol: 'The file name "my prices" cannot be a symbol; give one here.' },
    });
    expect(checkUpload(file("my prices.csv"), "MINE").ok).toBe(true);
  });

  it("takes the stem as the API does", () => {
    expect(stem("SP500.daily.csv")).toBe("SP500.daily");
    expect(stem(".csv")).toBe(".csv");
  });
});
