// Candlesticks with volume and optional trade markers (lightweight-charts). Loaded lazily, so the
// library rides only with the pages that draw prices.
import {
  CandlestickSeries,
  type DeepPartial,
  HistogramSeries,
  type IChartApi,
  LineSeries,
  type TimeChartOptions,
  createChart,
  createSeriesMarkers,
} from "lightweight-charts";
import { useEffect, useMemo, useRef } from "react";
import type { Bar, Trade } from "../../api/types";
import {
  COLORS,
  describeBars,
  isIntraday,
  toCandles,
  toClosePoints,
  toTradeMarkers,
  toVolumes,
} from "./candles";
import "./price-chart.css";

type Props = {
  symbol: string;
  bars: Bar[];
  /** trades of this symbol; each draws an entry and (once closed) an exit marker */
  trades?: Trade[];
  /** open = high = low = close: a line says that more honestly than flat candles */
  closeOnly?: boolean;
  height?: number;
};

export default function PriceChart({
  symbol,
  bars,
  trades,
  closeOnly = false,
  height = 360,
}: Props) {
  const container = useRef<HTMLDivElement>(null);
  const data = useMemo(() => {
    const candles = toCandles(bars);
    return {
      candles,
      closes: closeOnly ? toClosePoints(bars) : [],
      volumes: toVolumes(bars),
      markers: trades
        ? toTradeMarkers(
            trades,
            candles.map((c) => c.time),
          )
        : [],
      intraday: isIntraday(bars),
    };
  }, [bars, trades, closeOnly]);
  const description = describeBars(symbol, bars);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const chart = createChart(element, chartOptions(data.intraday));
    const price = closeOnly
      ? chart.addSeries(LineSeries, { color: COLORS.long, lineWidth: 2 })
      : chart.addSeries(CandlestickSeries, {
          upColor: COLORS.up,
          downColor: COLORS.down,
          borderVisible: false,
          wickUpColor: COLORS.up,
          wickDownColor: COLORS.down,
        });
    if (closeOnly) price.setData(data.closes);
    else price.setData(data.candles);
    // prices take the top three quarters; volume sits in the bottom fifth on its own scale
    price.priceScale().applyOptions({ scaleMargins: { top: 0.08, bottom: 0.25 } });
    addVolume(chart, data.volumes);
    if (data.markers.length > 0) createSeriesMarkers(price, data.markers);
    chart.timeScale().fitContent();
    return () => chart.remove();
  }, [data, closeOnly]);

  const markerCount = data.markers.length;
  return (
    <figure className="chart price-chart">
      <figcaption>
        {description}
        {markerCount > 0 && (
          <span className="price-chart-legend">
            {" "}
            · <span className="legend-long">▲▼ long</span>{" "}
            <span className="legend-short">▲▼ short</span> ({markerCount} fills: ▲ entry, ▼ exit)
          </span>
        )}
      </figcaption>
      <div
        ref={container}
        className="price-chart-canvas"
        role="img"
        aria-label={`Price chart of ${description}${markerCount ? ` with ${markerCount} trade markers` : ""}`}
        style={{ height }}
      />
    </figure>
  );
}

function addVolume(chart: IChartApi, volumes: ReturnType<typeof toVolumes>) {
  if (volumes.length === 0) return;
  const series = chart.addSeries(HistogramSeries, {
    priceScaleId: "volume",
    priceFormat: { type: "volume" },
    lastValueVisible: false,
    priceLineVisible: false,
  });
  series.priceScale().applyOptions({ scaleMargins: { top: 0.8, bottom: 0 }, visible: false });
  series.setData(volumes);
}

function chartOptions(intraday: boolean): DeepPartial<TimeChartOptions> {
  return {
    autoSize: true, // follows its container through a ResizeObserver
    layout: {
      background: { color: "#ffffff" },
      textColor: "#374151",
      fontFamily: "system-ui, -apple-system, 'Segoe UI', sans-serif",
    },
    grid: { vertLines: { color: "#f1f5f9" }, horzLines: { color: "#f1f5f9" } },
    rightPriceScale: { borderColor: "#e5e7eb" },
    timeScale: { borderColor: "#e5e7eb", timeVisible: intraday, secondsVisible: false },
  };
}
