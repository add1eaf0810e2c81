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

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  // short, so that a time column stays narrow in a half-width panel
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString(undefined, { dateStyle: "short", timeStyle: "short" });
}

export function formatDate(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 10) : "—";
}
