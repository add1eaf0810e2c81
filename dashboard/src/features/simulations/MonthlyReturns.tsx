// A year × month grid of returns, coloured on a diverging scale, with each year's total.
import { useMemo } from "react";
import type { EquityPoint } from "../../api/types";
import { ScrollRegion } from "../../components/ui/ScrollRegion";
import { Empty } from "../../components/ui/States";
import { heatColor } from "./heatColor";
import { toMonthlyReturns } from "./monthly";
import "./simulation-extras.css";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const signed = new Intl.NumberFormat("en-US", {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
  signDisplay: "exceptZero",
});

export function MonthlyReturns({
  points,
  initialEquity,
}: { points: EquityPoint[]; initialEquity?: number | null }) {
  const { years, maxAbs } = useMemo(
    () => toMonthlyReturns(points, initialEquity),
    [points, initialEquity],
  );
  if (years.length === 0) return <Empty>No equity curve was stored to compute returns from.</Empty>;
  return (
    <>
      <ScrollRegion label="Monthly returns, scrollable">
        <table className="table heatmap" aria-label="Monthly returns (%)">
          <thead>
            <tr>
              <th scope="col">Year</th>
              {MONTHS.map((m) => (
                <th scope="col" key={m}>
                  {m}
                </th>
              ))}
              <th scope="col">Year %</th>
            </tr>
          </thead>
          <tbody>
            {years.map((y) => (
              <tr key={y.year}>
                <th scope="row">{y.year}</th>
                {y.months.map((value, month) =>
                  value === null ? (
                    <td key={MONTHS[month]} className="heat-cell heat-empty">
                      <span className="visually-hidden">no bars</span>
                    </td>
                  ) : (
                    <td
                      key={MONTHS[month]}
                      className="heat-cell"
                      style={{ background: heatColor(value, maxAbs) }}
                    >
                      {signed.format(value)}
                    </td>
                  ),
                )}
                <td className={`heat-total ${y.total < 0 ? "neg" : y.total > 0 ? "pos" : ""}`}>
                  {signed.format(y.total)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <HeatLegend maxAbs={maxAbs} />
    </>
  );
}

function HeatLegend({ maxAbs }: { maxAbs: number }) {
  return (
    <div className="heat-legend">
      <span>{signed.format(-maxAbs)} %</span>
      <span
        className="heat-scale"
        role="img"
        aria-label={`colour scale from ${signed.format(-maxAbs)} % (red) through 0 (white) to ${signed.format(maxAbs)} % (green)`}
        style={{
          background: `linear-gradient(to right, ${heatColor(-1, 1)}, ${heatColor(0, 1)}, ${heatColor(1, 1)})`,
        }}
      />
      <span>{signed.format(maxAbs)} %</span>
      <span className="muted">
        Month-end to month-end; the first and last months may be partial; blank: no bars.
      </span>
    </div>
  );
}
