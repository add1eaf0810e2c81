import type { FeatureImportance } from "../../api/types";

export const TOP_FEATURES = 20;

/** The `top` largest importances, largest first (the API sorts them; a chart must not rely on it). */
export function importanceSeries(
  items: readonly FeatureImportance[],
  top = TOP_FEATURES,
): FeatureImportance[] {
  return [...items]
    .filter((item) => Number.isFinite(item.importance))
    .sort((a, b) => b.importance - a.importance || a.feature.localeCompare(b.feature))
    .slice(0, top)
    .map(({ feature, importance }) => ({ feature, importance }));
}
