import { describe, expect, it } from "vitest";
import { foldColumns, foldRows, formatScore, headlines } from "./report";

describe("headlines", () => {
  it("shows validation scores as percentages and the backtest beside buy-and-hold", () => {
    const figures = headlines({
      train_accuracy: 0.9,
      validation_accuracy: 0.5125,
      validation_roc_auc: 0.4879,
      oos_sharpe: -0.25,
      oos_total_return_pct: 3.5,
      oos_total_trades: 1234,
      buy_and_hold_total_return_pct: 67.974,
      validation_r2: null,
    });
    expect(figures).toEqual([
      { key: "validation_accuracy", label: "Validation accuracy", value: "51.25 %" },
      { key: "validation_roc_auc", label: "Validation ROC AUC", value: "0.49" },
      { key: "oos_sharpe", label: "Out-of-sample Sharpe", value: "-0.25", tone: "bad" },
      { key: "oos_total_return_pct", label: "Out-of-sample return", value: "3.5 %", tone: "good" },
      { key: "oos_total_trades", label: "Out-of-sample trades", value: "1,234" },
      { key: "buy_and_hold_total_return_pct", label: "Buy-and-hold return", value: "67.97 %" },
    ]);
  });

  it("shows nothing for a report without metrics", () => {
    expect(headlines(undefined)).toEqual([]);
  });
});

describe("foldRows", () => {
  const report = {
    task: "classification",
    folds: [
      {
        index: 0,
        train_start: "2010-03-16T00:00:00+00:00",
        train_end: "2011-07-18T00:00:00+00:00",
        test_start: "2011-07-26T00:00:00+00:00",
        test_end: "2012-12-03T00:00:00+00:00",
        train_rows: 339,
        test_rows: 342,
        train: { accuracy: 0.9026, roc_auc: 0.97 },
        test: { accuracy: 0.5146, roc_auc: null },
      },
    ],
  };

  it("gives each fold its ranges, sizes and test/train scores", () => {
    const columns = foldColumns(report.task);
    const rows = foldRows(report, columns);
    expect(rows).toEqual([
      {
        index: 1,
        trainRange: "2010-03-16 → 2011-07-18",
        testRange: "2011-07-26 → 2012-12-03",
        trainRows: 339,
        testRows: 342,
        scores: [0.5146, undefined, 0.9026],
      },
    ]);
    const shown = columns.map((column, i) => formatScore(rows[0]?.scores[i], column));
    expect(shown).toEqual(["51.46 %", "—", "90.26 %"]);
  });

  it("uses hit rate and R² for a regression", () => {
    expect(foldColumns("regression").map((c) => c.label)).toEqual([
      "Test hit rate",
      "Test R²",
      "Train hit rate",
    ]);
    expect(foldRows({ folds: "none" }, foldColumns("regression"))).toEqual([]);
  });
});
