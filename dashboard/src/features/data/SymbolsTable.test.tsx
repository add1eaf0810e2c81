import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router";
import { describe, expect, it } from "vitest";
import type { SymbolInfo } from "../../api/types";
import { SymbolsTable } from "./SymbolsTable";

const symbol = (ticker: string, name: string, rows: number | null = 8313): SymbolInfo => ({
  symbol: ticker,
  name,
  source: "builtin",
  fields: ["close"],
  first: "1990-01-02",
  last: "2022-12-28",
  close_only: true,
  rows,
});

const SYMBOLS = [
  symbol("AAPL", "Apple"),
  symbol("AMD", "Advanced Micro Devices"),
  symbol("BAC", "Bank of America"),
  symbol("GE", "General Electric"),
  symbol("MSFT", "Microsoft", null),
];

function renderTable(symbols = SYMBOLS, total = symbols.length) {
  render(
    <MemoryRouter>
      <SymbolsTable source="builtin" symbols={symbols} total={total} pageSize={2} />
    </MemoryRouter>,
  );
  return userEvent.setup();
}

const tickers = () =>
  within(screen.getByRole("table", { name: "Symbols of builtin" }))
    .getAllByRole("row")
    .slice(1)
    .map((row) => within(row).getAllByRole("cell")[0]?.textContent);

describe("SymbolsTable", () => {
  it("pages through the symbols, each linking to its chart", async () => {
    const user = renderTable();
    expect(tickers()).toEqual(["AAPL", "AMD"]);
    expect(screen.getByText("1–2 of 5")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Chart AAPL" })).toHaveAttribute(
      "href",
      "/data?source=builtin&symbol=AAPL",
    );
    await user.click(screen.getByRole("button", { name: "Next" }));
    await user.click(screen.getByRole("button", { name: "Next" }));
    expect(tickers()).toEqual(["MSFT"]);
    expect(screen.getByText("5–5 of 5")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Next" })).toBeDisabled();
  });

  it("shows the range and bar count, and a dash where the API does not know them", async () => {
    const user = renderTable();
    const firstRow = screen.getAllByRole("row")[1] as HTMLElement;
    expect(
      within(firstRow)
        .getAllByRole("cell")
        .map((c) => c.textContent),
    ).toEqual(["AAPL", "Applecloses only", "1990-01-02", "2022-12-28", "8,313"]);
    await user.type(screen.getByLabelText("Filter symbols"), "msft");
    expect(
      within(screen.getAllByRole("row")[1] as HTMLElement).getAllByRole("cell")[4],
    ).toHaveTextContent("—");
  });

  it("filters by ticker or name and starts again at the first page", async () => {
    const user = renderTable();
    await user.click(screen.getByRole("button", { name: "Next" }));
    await user.type(screen.getByLabelText("Filter symbols"), "a");
    // AAPL, AMD (Advanced), BAC (Bank of America), GE (General) all hold an "a"; MSFT does not
    expect(screen.getByText("1–2 of 4")).toBeInTheDocument();
    await user.type(screen.getByLabelText("Filter symbols"), "me");
    expect(tickers()).toEqual(["BAC"]);
    await user.clear(screen.getByLabelText("Filter symbols"));
    await user.type(screen.getByLabelText("Filter symbols"), "zzz");
    expect(screen.getByText(/No symbol of builtin matches/)).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Clear the filter" }));
    expect(tickers()).toEqual(["AAPL", "AMD"]);
  });

  it("says when the source has more symbols than were listed", () => {
    renderTable(SYMBOLS, 250);
    expect(screen.getByText("Showing the first 5 of 250 symbols of builtin.")).toBeInTheDocument();
  });

  it("offers an upload when the files source is empty", () => {
    render(
      <MemoryRouter>
        <SymbolsTable source="files" symbols={[]} total={0} />
      </MemoryRouter>,
    );
    expect(screen.getByRole("link", { name: "Upload a CSV or Parquet file" })).toHaveAttribute(
      "href",
      "#upload",
    );
  });
});
