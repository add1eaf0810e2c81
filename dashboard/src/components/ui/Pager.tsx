import type { ReactNode } from "react";

type Props = {
  /** the nav's accessible name, e.g. "Trades pages" */
  label: string;
  /** index of the first row shown */
  offset: number;
  /** rows on this page (fewer than pageSize on the last one) */
  shown: number;
  total: number;
  pageSize: number;
  onOffset: (offset: number) => void;
  /** said after "a–b of n", inside the same live text */
  note?: ReactNode;
};

/** Previous/Next over a list shown a page at a time; "a–b of n" is announced as it changes. */
export function Pager({ label, offset, shown, total, pageSize, onOffset, note }: Props) {
  const last = Math.min(offset + shown, total);
  return (
    <nav className="pager" aria-label={label}>
      <button
        type="button"
        className="button button-small"
        disabled={offset === 0}
        onClick={() => onOffset(Math.max(0, offset - pageSize))}
      >
        Previous
      </button>
      <span aria-live="polite">
        {shown === 0 ? 0 : offset + 1}–{last} of {total}
        {note}
      </span>
      <button
        type="button"
        className="button button-small"
        disabled={last >= total}
        onClick={() => onOffset(offset + pageSize)}
      >
        Next
      </button>
    </nav>
  );
}
