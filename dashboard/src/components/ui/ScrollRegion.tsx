import type { ReactNode } from "react";

/**
 * A wide table's horizontal scroller, focusable so that a keyboard can scroll it on a narrow
 * screen and reach its hidden columns (axe: scrollable-region-focusable).
 */
export function ScrollRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to scroll by keyboard
    <section className="table-scroll" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
