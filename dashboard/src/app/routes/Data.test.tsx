import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, useLocation } from "react-router";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Source, SymbolInfo } from "../../api/types";

const { network, json } = await vi.hoisted(async () => {
  const edge = await import("../../test/network");
  globalThis.fetch = edge.fakeFetch as typeof fetch;
  return edge;
});

import Data from "./Data";

const SOURCES: Source[] = [
  {
    name: "builtin",
    description: "Bundled daily data",
    intervals: ["1d", "1wk", "1mo"],
    offline: true,
  },
  { name: "synthetic", description: "Seeded bars", intervals: ["1d", "1h"], offline: true },
];
const SP500: SymbolInfo = {
  symbol: "SP500",
  name: "S&P 500 index",
  source: "builtin",
  fields: ["open", "high", "low", "close", "volume"],
  first: "1999-01-04",
  last: "2018-12-31",
  close_only: false,
  rows: 5031,
};

/** The gateway's answers; bars come back empty so that no chart library loads in jsdom. */
function answerWith(bars: (url: URL) => Response) {
  network.answer = (request) => {
    const url = new URL(request.url);
    if (url.pathname === "/api/v1/data/sources") return json(200, { items: SOURCES, total: 2 });
    if (url.pathname === "/api/v1/data/symbols")
      return json(200, { items: [SP500], total: 1, limit: 200, offset: 0 });
    if (url.pathname === "/api/v1/data/bars") return bars(url);
    return json(404, { detail: `no route ${url.pathname}`, code: "not_found" });
  };
}

const noBars = (url: URL) =>
  json(200, {
    source: url.searchParams.get("source"),
    symbol: url.searchParams.get("symbol"),
    interval: url.searchParams.get("interval"),
    fields: ["open", "high", "low", "close"],
    close_only: false,
    items: [],
    total: 0,
    warnings: [],
  });

function Where() {
  const location = useLocation();
  return <output data-testid="where">{location.search}</output>;
}

function renderAt(url: string) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[url]}>
        <Data />
        <Where />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return userEvent.setup();
}

const barsAsked = () =>
  network.sent.map((r) => new URL(r.url)).filter((u) => u.pathname === "/api/v1/data/bars");
const form = () => within(screen.getByRole("form", { name: "Bars to chart" }));

async function replace(user: ReturnType<typeof userEvent.setup>, label: string, text: string) {
  const input = form().getByLabelText(label);
  await user.clear(input);
  if (text) await user.type(input, text);
}

beforeEach(() => {
  network.sent.length = 0;
  answerWith(noBars);
});

describe("the Data page's bars query", () => {
  it("charts the selection a shared URL holds", async () => {
    renderAt("/data?source=builtin&symbol=SP500&interval=1wk&start=2018-01-02&end=2018-06-29");
    expect(await screen.findByText(/No bars of SP500 in this range/)).toBeInTheDocument();
    expect(form().getByLabelText("Symbol")).toHaveValue("SP500");
    expect(form().getByLabelText("Start")).toHaveValue("2018-01-02");
    const [asked] = barsAsked();
    expect(Object.fromEntries(asked?.searchParams ?? [])).toEqual({
      source: "builtin",
      symbol: "SP500",
      interval: "1wk",
      start: "2018-01-02",
      end: "2018-06-29",
    });
  });

  it("asks for nothing until a symbol is chosen", async () => {
    renderAt("/data");
    expect(
      await screen.findByText(/Pick a symbol above, or one from the list of symbols below/),
    ).toBeInTheDocument();
    expect(barsAsked()).toHaveLength(0);
  });

  it("sends nothing while a field is invalid, then puts a valid selection in the URL", async () => {
    const user = renderAt("/data");
    await form().findByRole("option", { name: "synthetic" });
    await replace(user, "Symbol", "S&P");
    await replace(user, "Start", "2018-02-30");
    await user.click(screen.getByRole("button", { name: "Show chart" }));
    expect(form().getByLabelText("Symbol")).toHaveAccessibleDescription(/"S&P" is not a symbol/);
    expect(form().getByLabelText("Start")).toHaveAccessibleDescription(/Use a date as YYYY-MM-DD/);
    expect(barsAsked()).toHaveLength(0);
    expect(screen.getByTestId("where")).toHaveTextContent(/^$/);

    await replace(user, "Symbol", "SP500");
    await replace(user, "Start", "2018-01-02");
    await user.click(screen.getByRole("button", { name: "Show chart" }));
    expect(screen.getByTestId("where")).toHaveTextContent(
      "?source=builtin&symbol=SP500&interval=1d&start=2018-01-02",
    );
    await waitFor(() => expect(barsAsked()).toHaveLength(1));
  });

  it("offers the intervals of the chosen source", async () => {
    const user = renderAt("/data");
    await form().findByRole("option", { name: "synthetic" });
    const interval = form().getByLabelText("Interval");
    expect(
      within(interval)
        .getAllByRole("option")
        .map((o) => o.textContent),
    ).toEqual(["1d", "1wk", "1mo"]);
    await user.selectOptions(form().getByLabelText("Source"), "synthetic");
    expect(
      within(interval)
        .getAllByRole("option")
        .map((o) => o.textContent),
    ).toEqual(["1d", "1h"]);
  });

  it("shows the API's 422 next to the field it names", async () => {
    const detail =
      "start 2030-01-01 is after the last bar; SP500 has bars from 1999-01-04 to 2018-12-31";
    answerWith(() => json(422, { detail, code: "invalid_input", field: "start" }));
    renderAt("/data?source=builtin&symbol=SP500&start=2030-01-01");
    expect(await screen.findByText(detail)).toBeInTheDocument();
    expect(form().getByLabelText("Start")).toHaveAccessibleDescription(new RegExp(detail));
  });
});
