// Candlesticks with volume and optional trade markers (lightweight-charts). Loaded lazily, so the
// library rides only with the pages that draw prices.
import {
  CandlestickSeries,
  type DeepPartial,
  HistogramSeries,
  type IChartApi,
  type ISeriesMarkersPluginApi,
  LineSeries,
  type Time,
  type TimeChartOptions,
  createChart,
  createSeriesMarkers,
} from "lightweight-charts";
import { useEffect, useMemo, useRef, useState } from "react";
import type { Bar, Trade } from "../../api/types";
import {
  COLORS,
  MAX_LABELLED_MARKERS,
  describeBars,
  isIntraday,
  labelBudget,
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
  trades?: Trade[] | undefined;
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
  const markerLayer = useRef<ISeriesMarkersPluginApi<Time>>();
  const [maxLabelled, setMaxLabelled] = useState(MAX_LABELLED_MARKERS);
  const series = useMemo(
    () => ({
      candles: toCandles(bars),
      closes: closeOnly ? toClosePoints(bars) : [],
      volumes: toVolumes(bars),
      intraday: isIntraday(bars),
    }),
    [bars, closeOnly],
  );
  const markers = useMemo(
    () =>
      trades
        ? toTradeMarkers(
            trades,
            series.candles.map((c) => c.time),
            maxLabelled,
          )
        : [],
    [trades, series, maxLabelled],
  );
  const description = describeBars(symbol, bars);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const chart = createChart(element, chartOptions(series.intraday));
    const price = closeOnly
      ? chart.addSeries(LineSeries, { color: COLORS.long, lineWidth: 2 })
      : chart.addSeries(CandlestickSeries, {
          upColor: COLORS.up,
          downColor: COLORS.down,
          borderVisible: false,
          wickUpColor: COLORS.up,
          wickDownColor: COLORS.down,
        });
    if (closeOnly) price.setData(series.closes);
    else price.setData(series.candles);
    price.priceScale().applyOptions({ scaleMargins: { top: 0.08, bottom: 0.05 } });
    addVolume(chart, series.volumes);
    markerLayer.current = createSeriesMarkers(price, []);
    chart.timeScale().fitContent();
    // fewer labels on a narrow chart; the chart itself follows its container (autoSize)
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setMaxLabelled(labelBudget(entry.contentRect.width));
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      markerLayer.current = undefined;
      chart.remove();
    };
  }, [series, closeOnly]);

  // runs after the chart effect above, so a new chart gets the markers too
  useEffect(() => {
    markerLayer.current?.setMarkers(markers);
  }, [markers]);

  const labelled = markers.some((m) => m.text);
  return (
    <figure
      className="chart price-chart"
      aria-label={`Price chart of ${description}${markers.length ? ` with ${markers.length} trade markers` : ""}`}
    >
      <figcaption>
        {description}
        {markers.length > 0 && (
          <span className="price-chart-legend">
            {" "}
            · <span className="legend-long">▲▼ long</span>{" "}
            <span className="legend-short">▲▼ short</span> ({markers.length} fills: ▲ entry, ▼ exit
            {labelled ? "" : "; sizes in the trades table"})
          </span>
        )}
      </figcaption>
      {/* The canvas holds the library's attribution link, so it cannot be one role="img": the
          figure carries the text alternative instead. */}
      <div ref={container} className="price-chart-canvas" style={{ height }} />
    </figure>
  );
}

/** Volume in a pane of its own below the prices, a quarter of the height, with its own axis. */
function addVolume(chart: IChartApi, volumes: ReturnType<typeof toVolumes>) {
  if (volumes.length === 0) return;
  const series = chart.addSeries(
    HistogramSeries,
    { priceFormat: { type: "volume" }, lastValueVisible: false, priceLineVisible: false },
    VOLUME_PANE,
  );
  series.setData(volumes);
  const [pricePane, volumePane] = chart.panes();
  pricePane?.setStretchFactor(3);
  volumePane?.setStretchFactor(1);
}

const VOLUME_PANE = 1;

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
    // a small minimum spacing lets fitContent show years of daily bars on a phone
    timeScale: {
      borderColor: "#e5e7eb",
      timeVisible: intraday,
      secondsVisible: false,
      minBarSpacing: 0.05,
    },
  };
}
