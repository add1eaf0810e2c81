import type { ReactNode } from "react";

export function Section({
  title,
  actions,
  children,
}: { title: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className="panel" aria-label={title}>
      <header className="panel-head">
        <h2>{title}</h2>
        {actions}
      </header>
      {children}
    </section>
  );
}

export function Figure({
  label,
  value,
  tone,
}: { label: string; value: string; tone?: "good" | "bad" }) {
  return (
    <div className={`figure${tone ? ` figure-${tone}` : ""}`}>
      <span className="figure-label">{label}</span>
      <span className="figure-value">{value}</span>
    </div>
  );
}
