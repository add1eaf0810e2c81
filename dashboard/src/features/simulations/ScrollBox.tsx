import type { ReactNode } from "react";

/**
 * A horizontal scroll box for a table without links or buttons: focusable, so that a keyboard
 * can scroll it on a narrow screen (axe: scrollable-region-focusable).
 */
export function ScrollBox({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scroll box must take focus to be scrolled by keys
    <section className="table-scroll" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
