import type { ReactNode } from "react";
import { NavLink } from "react-router";

const LINKS = [
  { to: "/", label: "Overview", end: true },
  { to: "/simulations", label: "Simulations" },
  { to: "/jobs", label: "Jobs" },
  { to: "/data", label: "Data" },
  { to: "/sweeps", label: "Sweeps" },
  { to: "/models", label: "Models" },
  { to: "/train", label: "Train" },
];

export function Shell({ children }: { children: ReactNode }) {
  return (
    <div className="shell">
      <header className="topbar">
        <a href="/" className="brand">
          tradelab
        </a>
        <nav aria-label="Main">
          <ul className="nav">
            {LINKS.map((link) => (
              <li key={link.to}>
                <NavLink to={link.to} end={link.end}>
                  {link.label}
                </NavLink>
              </li>
            ))}
            <li>
              <a href="/docs">API docs</a>
            </li>
          </ul>
        </nav>
      </header>
      <main className="content">{children}</main>
    </div>
  );
}
