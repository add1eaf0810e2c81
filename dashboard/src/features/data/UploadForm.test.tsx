import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const { network, json } = await vi.hoisted(async () => {
  const edge = await import("../../test/network");
  globalThis.fetch = edge.fakeFetch as typeof fetch;
  return edge;
});

import { UploadForm } from "./UploadForm";
import { useUpload } from "./api";

/** The form wired as the Data page wires it, to the real client over the fake network. */
function Wired() {
  const upload = useUpload();
  return (
    <UploadForm
      onUpload={(input) => upload.mutate(input)}
      pending={upload.isPending}
      uploaded={upload.data}
      uploadError={upload.error ?? undefined}
      onEdit={() => upload.reset()}
    />
  );
}

function setup() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <MemoryRouter>
        <Wired />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return userEvent.setup({ applyAccept: false });
}

const csv = (name: string) => new File(["date,open,high,low,close\n"], name, { type: "text/csv" });
const uploads = () => network.sent.filter((r) => r.url.endsWith("/api/v1/data/upload"));

beforeEach(() => {
  network.sent.length = 0;
});
afterEach(() => vi.restoreAllMocks());

describe("UploadForm", () => {
  it("sends nothing without a file and says to choose one", async () => {
    const user = setup();
    await user.click(screen.getByRole("button", { name: "Upload" }));
    expect(screen.getByLabelText("File")).toHaveAccessibleDescription(
      /Choose a CSV or Parquet file to upload\./,
    );
    expect(uploads()).toHaveLength(0);
  });

  it("sends nothing for a file of another type or a bad symbol", async () => {
    const user = setup();
    await user.upload(screen.getByLabelText("File"), csv("bars.xlsx"));
    await user.click(screen.getByRole("button", { name: "Upload" }));
    expect(
      screen.getByText(
        "bars.xlsx is not a .csv or .parquet file; export the bars as CSV or Parquet.",
      ),
    ).toBeInTheDocument();
    await user.upload(screen.getByLabelText("File"), csv("bars.csv"));
    await user.type(screen.getByLabelText("Symbol (optional)"), "no spaces");
    await user.click(screen.getByRole("button", { name: "Upload" }));
    expect(screen.getByLabelText("Symbol (optional)")).toHaveAccessibleDescription(
      /"no spaces" is not a symbol/,
    );
    expect(uploads()).toHaveLength(0);
  });

  it("shows the API's 422 next to the file, naming the bad cell", async () => {
    const detail =
      "B2.csv: line 2, column 'close': 'abc' is not a number; fix the file and upload it again";
    network.answer = () => json(422, { detail, code: "bad_data", field: "file" });
    const user = setup();
    await user.upload(screen.getByLabelText("File"), csv("B2.csv"));
    await user.click(screen.getByRole("button", { name: "Upload" }));
    expect(await screen.findByText(detail)).toBeInTheDocument();
    expect(screen.getByLabelText("File")).toHaveAccessibleDescription(/line 2, column 'close'/);
    expect(uploads()).toHaveLength(1);
  });

  it("puts a 422 about the symbol next to the symbol", async () => {
    const detail = "invalid symbol 'X': use 1-32 characters";
    network.answer = () => json(422, { detail, code: "invalid_input", field: "symbol" });
    const user = setup();
    await user.upload(screen.getByLabelText("File"), csv("a.csv"));
    await user.click(screen.getByRole("button", { name: "Upload" }));
    await screen.findByText(detail);
    expect(screen.getByLabelText("Symbol (optional)")).toHaveAccessibleDescription(
      new RegExp(detail),
    );
  });

  it("posts the file and symbol as multipart, then shows what was stored with a link to its chart", async () => {
    network.answer = () =>
      json(201, {
        symbol: "MINE",
        source: "files",
        rows: 1234,
        first: "2020-01-02",
        last: "2024-12-31",
        fields: ["open", "high", "low", "close"],
      });
    const appended = vi.spyOn(FormData.prototype, "append");
    const user = setup();
    await user.upload(screen.getByLabelText("File"), csv("prices.csv"));
    await user.type(screen.getByLabelText("Symbol (optional)"), "mine");
    await user.click(screen.getByRole("button", { name: "Upload" }));
    expect(await screen.findByText(/1,234 bars from 2020-01-02 to 2024-12-31/)).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Chart MINE" })).toHaveAttribute(
      "href",
      "/data?source=files&symbol=MINE",
    );
    const [sent] = uploads();
    expect(sent?.method).toBe("POST");
    expect(sent?.headers.get("content-type")).toMatch(/^multipart\/form-data; boundary=/);
    // jsdom's File cannot be streamed back out of a Request: check what went into the form
    expect(
      appended.mock.calls.map(([name, value]) => [
        name,
        value instanceof File ? value.name : value,
      ]),
    ).toEqual([
      ["file", "prices.csv"],
      ["symbol", "mine"],
    ]);
  });
});
