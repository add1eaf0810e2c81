// The chart of the selected bars, with the API's warnings about them.
import { Suspense, lazy } from "react";
import type { Bars } from "../../api/types";
import { Empty } from "../../components/ui/States";
import { Loading } from "../../components/ui/States";

const PriceChart = lazy(() => import("../charts/PriceChart"));

export function BarsChart({ bars }: { bars: Bars }) {
  if (bars.items.length === 0) {
    return <Empty>No bars of {bars.symbol} in this range; widen the dates above.</Empty>;
  }
  return (
    <>
      {bars.close_only && (
        <p className="hint">
          {bars.source} carries only closes for {bars.symbol}: drawn as a line, without volume.
        </p>
      )}
      {(bars.warnings ?? []).map((w) => (
        <p key={w} className="hint bars-warning">
          {w}
        </p>
      ))}
      <Suspense fallback={<Loading what="the chart" />}>
        <PriceChart
          symbol={`${bars.symbol} (${bars.interval})`}
          bars={bars.items}
          closeOnly={bars.close_only}
        />
      </Suspense>
    </>
  );
}
