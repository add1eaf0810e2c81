import { describe, expect, it } from "vitest";
import type { Bar, Trade } from "../../api/types";
import {
  COLORS,
  barHolding,
  describeBars,
  isIntraday,
  labelBudget,
  toCandles,
  toClosePoints,
  toTradeMarkers,
  toVolumes,
} from "./candles";

// 2020-01-02, -03 and -06 (a Monday after a weekend) at midnight UTC, in seconds
const JAN2 = 1_577_923_200;
const JAN3 = JAN2 + 86_400;
const JAN6 = JAN2 + 4 * 86_400;

const bar = (day: string, open: number, close: number, volume: number | null): Bar => ({
  timestamp: `2020-01-${day}T00:00:00Z`,
  open,
  high: Math.max(open, close) + 1,
  low: Math.min(open, close) - 1,
  close,
  volume,
});

const BARS = [bar("02", 10, 11, 500), bar("03", 11, 10.5, null), bar("06", 10.5, 10.5, 250)];
const TIMES = [JAN2, JAN3, JAN6];

const trade = (seq: number, over: Partial<Trade>): Trade => ({
  seq,
  symbol: "SP500",
  direction: "long",
  quantity: 12,
  entry_time: "2020-01-02T00:00:00Z",
  entry_price: 10,
  exit_time: "2020-01-06T00:00:00Z",
  exit_price: 10.5,
  pnl: 6,
  return_pct: 5,
  fees: 0,
  slippage: 0,
  is_open: false,
  ...over,
});

describe("toCandles / toClosePoints / toVolumes", () => {
  it("turns each bar into a candle at its UTC second", () => {
    expect(toCandles(BARS.slice(0, 1))).toEqual([
      { time: JAN2, open: 10, high: 12, low: 9, close: 11 },
    ]);
    expect(toClosePoints(BARS).map((p) => [p.time, p.value])).toEqual([
      [JAN2, 11],
      [JAN3, 10.5],
      [JAN6, 10.5],
    ]);
  });

  it("colours volume like its candle, an unchanged close as up, and skips bars without volume", () => {
    expect(toVolumes(BARS)).toEqual([
      { time: JAN2, value: 500, color: COLORS.volumeUp },
      { time: JAN6, value: 250, color: COLORS.volumeUp },
    ]);
    expect(toVolumes([bar("02", 11, 10, 7)])[0]?.color).toBe(COLORS.volumeDown);
  });
});

describe("barHolding", () => {
  it("finds the bar at or before a moment, across a weekend", () => {
    expect(barHolding(TIMES, JAN2)).toBe(JAN2);
    expect(barHolding(TIMES, JAN3 + 3600)).toBe(JAN3);
    expect(barHolding(TIMES, JAN3 + 2 * 86_400)).toBe(JAN3); // Sunday belongs to Friday's bar
    expect(barHolding(TIMES, JAN6 + 3600)).toBe(JAN6);
  });

  it("places nothing before the first bar or a bar's width past the last", () => {
    expect(barHolding(TIMES, JAN2 - 1)).toBeUndefined();
    // the last two bars are 3 days apart, so the last one reaches until JAN6 + 3 days
    expect(barHolding(TIMES, JAN6 + 3 * 86_400 - 1)).toBe(JAN6);
    expect(barHolding(TIMES, JAN6 + 3 * 86_400)).toBeUndefined();
    expect(barHolding([], JAN2)).toBeUndefined();
  });
});

describe("toTradeMarkers", () => {
  it("marks a long entry ▲ below its bar and its exit ▼ above, with the order's side and size", () => {
    expect(toTradeMarkers([trade(0, {})], TIMES)).toEqual([
      {
        time: JAN2,
        id: "0-entry",
        position: "belowBar",
        shape: "arrowUp",
        color: "#1d4ed8",
        text: "buy 12",
      },
      {
        time: JAN6,
        id: "0-exit",
        position: "aboveBar",
        shape: "arrowDown",
        color: "#1d4ed8",
        text: "sell 12",
      },
    ]);
  });

  it("names a short's legs short and cover, in the short colour, with rounded sizes", () => {
    const markers = toTradeMarkers([trade(3, { direction: "short", quantity: 83.556 })], TIMES);
    expect(markers.map((m) => [m.text, m.color])).toEqual([
      ["short 83.56", COLORS.short],
      ["cover 83.56", COLORS.short],
    ]);
  });

  it("sorts by time even when trades arrive out of order, exit before entry on a shared bar", () => {
    const first = trade(0, {
      entry_time: "2020-01-02T00:00:00Z",
      exit_time: "2020-01-03T00:00:00Z",
    });
    const reversal = trade(1, {
      direction: "short",
      entry_time: "2020-01-03T00:00:00Z",
      exit_time: "2020-01-06T00:00:00Z",
    });
    expect(toTradeMarkers([reversal, first], TIMES).map((m) => [m.time, m.id])).toEqual([
      [JAN2, "0-entry"],
      [JAN3, "0-exit"],
      [JAN3, "1-entry"],
      [JAN6, "1-exit"],
    ]);
  });

  it("keeps both legs of a trade opened and closed on the same bar", () => {
    const sameBar = trade(5, {
      entry_time: "2020-01-03T00:00:00Z",
      exit_time: "2020-01-03T00:00:00Z",
    });
    expect(toTradeMarkers([sameBar], TIMES).map((m) => [m.time, m.id, m.position])).toEqual([
      [JAN3, "5-exit", "aboveBar"],
      [JAN3, "5-entry", "belowBar"],
    ]);
  });

  it("drops the labels, not the arrows, once there are more fills than fit", () => {
    const twoTrades = [trade(0, {}), trade(1, {})]; // four fills
    expect(toTradeMarkers(twoTrades, TIMES, 4).every((m) => m.text !== "")).toBe(true);
    const unlabelled = toTradeMarkers(twoTrades, TIMES, 3);
    expect(unlabelled.map((m) => [m.text, m.shape])).toEqual([
      ["", "arrowUp"],
      ["", "arrowUp"],
      ["", "arrowDown"],
      ["", "arrowDown"],
    ]);
  });

  it("gives an open trade only its entry and drops fills outside the bars", () => {
    const open = trade(0, { is_open: true, exit_time: null, exit_price: null });
    const early = trade(1, { entry_time: "2019-12-31T00:00:00Z" });
    expect(toTradeMarkers([open, early], TIMES).map((m) => m.id)).toEqual(["0-entry", "1-exit"]);
  });
});

describe("labelBudget", () => {
  it("labels one fill per 45 px, at most 24", () => {
    expect(labelBudget(330)).toBe(7); // a phone: 330 / 45 = 7.3
    expect(labelBudget(1100)).toBe(24); // 1100 / 45 = 24.4
    expect(labelBudget(2000)).toBe(24);
    expect(labelBudget(0)).toBe(0);
  });
});

describe("describeBars / isIntraday", () => {
  it("says the symbol, range and bar count", () => {
    expect(describeBars("SP500", BARS)).toBe("SP500 from 2020-01-02 to 2020-01-06, 3 bars");
    expect(describeBars("X", BARS.slice(0, 1))).toBe("X from 2020-01-02 to 2020-01-02, 1 bar");
    expect(describeBars("X", [])).toBe("X: no bars");
  });

  it("tells hourly bars from daily ones", () => {
    expect(isIntraday(BARS)).toBe(false);
    const hourly = [
      bar("02", 1, 1, 1),
      { ...bar("02", 1, 1, 1), timestamp: "2020-01-02T01:00:00Z" },
    ];
    expect(isIntraday(hourly)).toBe(true);
  });
});
