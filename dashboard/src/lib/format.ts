// Numbers as a researcher reads them: grouped thousands, fixed decimals, units spelled out.
const money = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

export type Unit = "money" | "pct" | "ratio" | "count" | "days";

export function formatValue(value: unknown, unit: Unit): string {
  if (typeof value !== "number" || !Number.isFinite(value)) return "—";
  switch (unit) {
    case "money":
      return money.format(value);
    case "pct":
      return `${decimal.format(value)} %`;
    case "count":
      return money.format(value);
    case "days":
      return `${money.format(value)} d`;
    default:
      return decimal.format(value);
  }
}

/** A moment as briefly as it reads: the time alone today, else the short date and time. */
export function formatDateTime(iso: string | null | undefined, now: Date = new Date()): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  // short, so that a time column stays narrow in a half-width panel
  return date.toDateString() === now.toDateString()
    ? date.toLocaleTimeString(undefined, { timeStyle: "short" })
    : date.toLocaleString(undefined, { dateStyle: "short", timeStyle: "short" });
}

export function formatDate(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 10) : "—";
}
