export type SortDirection = "ascending" | "descending";

/** The direction of `key` in a sort written "key" (ascending) or "-key" (descending). */
export function signedSortDirection(sort: string, key: string): SortDirection | undefined {
  if (sort === key) return "ascending";
  if (sort === `-${key}`) return "descending";
  return undefined;
}

const ARROWS: Record<SortDirection, string> = { ascending: " ▲", descending: " ▼" };

type Props = {
  label: string;
  /** the column's current order; undefined when the table is sorted by another column */
  direction: SortDirection | undefined;
  /** absent for a column that cannot be sorted: the header is then plain text */
  onSort?: (() => void) | undefined;
};

/** A column header that sorts its table when clicked and tells screen readers how (aria-sort). */
export function SortHeader({ label, direction, onSort }: Props) {
  return (
    <th scope="col" aria-sort={direction}>
      {onSort ? (
        <button type="button" className="sort-button" onClick={onSort}>
          {label}
          <span aria-hidden="true">{direction ? ARROWS[direction] : ""}</span>
        </button>
      ) : (
        label
      )}
    </th>
  );
}
