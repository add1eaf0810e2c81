import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, useLocation } from "react-router";
import { describe, expect, it } from "vitest";
import { ApiError } from "../../api/errors";
import type { Model, ModelsPage } from "../../api/types";
import { ModelsTable } from "./ModelsTable";
import type { LoadModels } from "./api";
import { model } from "./fixtures";

const MODELS: Model[] = [
  model({ id: "a", name: "alpha", version: 1, stage: "production", metrics: { oos_sharpe: 0.5 } }),
  model({ id: "b", name: "beta", version: 2, stage: "staging", metrics: { oos_sharpe: 1.2 } }),
  model({ id: "c", name: "gamma", version: 1, stage: "none", metrics: { oos_sharpe: -0.3 } }),
  model({ id: "d", name: "delta", version: 4, stage: "staging", metrics: {} }),
];

type Asked = Parameters<LoadModels>[0];

/** The API's side: exact filters, a sort (metrics.<name> puts the missing last), then a page. */
function serverWith(models: Model[]) {
  const asked: Asked[] = [];
  const load: LoadModels = async (q) => {
    asked.push(q);
    const keyOf = (m: Model): number | string | undefined =>
      q.sort.startsWith("metrics.")
        ? (m.metrics[q.sort.slice(8)] ?? undefined)
        : (m[q.sort as keyof Model] as string | number);
    const kept = models.filter(
      (m) => (!q.stage || m.stage === q.stage) && (!q.name || m.name === q.name),
    );
    const present = kept.filter((m) => keyOf(m) !== undefined);
    present.sort((x, y) => ((keyOf(x) ?? 0) < (keyOf(y) ?? 0) ? -1 : 1));
    if (q.order === "desc") present.reverse();
    const sorted = [...present, ...kept.filter((m) => keyOf(m) === undefined)];
    const page: ModelsPage = {
      items: sorted.slice(q.offset, q.offset + q.limit),
      total: sorted.length,
      limit: q.limit,
      offset: q.offset,
    };
    return page;
  };
  return { asked, load };
}

function Where() {
  const location = useLocation();
  return <output aria-label="location">{location.search}</output>;
}

function renderTable(load: LoadModels, url = "/models", pageSize = 2) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[url]}>
        <ModelsTable load={load} pageSize={pageSize} />
        <Where />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return userEvent.setup();
}

const names = async () => {
  const table = await screen.findByRole("table", { name: "Models" });
  return within(table)
    .getAllByRole("row")
    .slice(1)
    .map((row) => within(row).getAllByRole("cell")[0]?.textContent);
};

describe("ModelsTable", () => {
  it("asks the API to sort by a column, then reverses it on a second click", async () => {
    const server = serverWith(MODELS);
    const user = renderTable(server.load, "/models", 10);
    await screen.findByRole("table", { name: "Models" });
    await user.click(screen.getByRole("button", { name: "OOS Sharpe" }));
    expect(await names()).toEqual(["beta", "alpha", "gamma", "delta"]);
    expect(server.asked.at(-1)).toMatchObject({ sort: "metrics.oos_sharpe", order: "desc" });
    expect(screen.getByRole("columnheader", { name: /OOS Sharpe/ })).toHaveAttribute(
      "aria-sort",
      "descending",
    );
    await user.click(screen.getByRole("button", { name: /OOS Sharpe/ }));
    expect(await names()).toEqual(["gamma", "alpha", "beta", "delta"]);
    expect(screen.getByLabelText("location")).toHaveTextContent(
      "?sort=metrics.oos_sharpe&order=asc",
    );
  });

  it("applies the filters from the URL and keeps new ones there", async () => {
    const server = serverWith(MODELS);
    const user = renderTable(server.load, "/models?stage=staging", 10);
    expect((await names()).sort()).toEqual(["beta", "delta"]);
    expect(server.asked[0]).toMatchObject({ stage: "staging", offset: 0 });
    expect(screen.getByLabelText("Stage")).toHaveValue("staging");
    await user.selectOptions(screen.getByLabelText("Stage"), "");
    await user.type(screen.getByLabelText("Name"), "gamma");
    await user.click(screen.getByRole("button", { name: "Apply filters" }));
    expect(await names()).toEqual(["gamma"]);
    expect(server.asked.at(-1)).toMatchObject({ name: "gamma", stage: "" });
    expect(screen.getByLabelText("location")).toHaveTextContent("?name=gamma");
  });

  it("pages through the registry with the API's offset", async () => {
    const server = serverWith(MODELS);
    const user = renderTable(server.load, "/models?sort=name&order=asc");
    expect(await names()).toEqual(["alpha", "beta"]);
    expect(screen.getByText("1–2 of 4")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Previous" })).toBeDisabled();
    await user.click(screen.getByRole("button", { name: "Next" }));
    expect(await screen.findByText("3–4 of 4")).toBeInTheDocument();
    expect(await names()).toEqual(["delta", "gamma"]);
    expect(server.asked.at(-1)).toMatchObject({ offset: 2, limit: 2 });
    expect(screen.getByRole("button", { name: "Next" })).toBeDisabled();
  });

  it("links an empty registry to training", async () => {
    renderTable(serverWith([]).load);
    const link = await screen.findByRole("link", { name: "Train a model" });
    expect(link).toHaveAttribute("href", "/train");
  });

  it("says when the filters match nothing", async () => {
    renderTable(serverWith(MODELS).load, "/models?name=nobody");
    expect(await screen.findByText("No model matches these filters.")).toBeInTheDocument();
  });

  it("shows the API's message when listing fails", async () => {
    const failing: LoadModels = async () => {
      throw new ApiError(422, { detail: "cannot sort models by 'x'", field: "sort" });
    };
    renderTable(failing, "/models?sort=x");
    expect(await screen.findByRole("alert")).toHaveTextContent("cannot sort models by 'x'");
  });
});
