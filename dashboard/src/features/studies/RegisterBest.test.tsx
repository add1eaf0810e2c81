import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import { RegisterBest } from "./RegisterBest";

// The typed client keeps the fetch it was made with: put the stand-in in place before it loads.
const fetchMock = vi.hoisted(() => {
  const mock = vi.fn<(request: Request) => Promise<Response>>();
  globalThis.fetch = mock as unknown as typeof fetch;
  return mock;
});

const answer = (status: number, body: unknown) =>
  fetchMock.mockResolvedValue(
    new Response(JSON.stringify(body), {
      status,
      headers: { "Content-Type": "application/json" },
    }),
  );

function setup(registeredModelId: string | null = null) {
  const client = new QueryClient({ defaultOptions: { mutations: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <MemoryRouter>
        <RegisterBest
          studyId="s-1"
          suggestedName="ppo-study-sp500"
          registeredModelId={registeredModelId}
        />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return userEvent.setup();
}

const nameField = () => screen.getByLabelText("Model name");
const registerButton = () => screen.getByRole("button", { name: "Register the best" });

afterEach(() => fetchMock.mockReset());

describe("RegisterBest", () => {
  it("posts the model name and links to the new model", async () => {
    answer(201, {
      study_id: "s-1",
      trial: 4,
      model_id: "m-9",
      model_name: "ppo-best",
      version: 2,
    });
    const user = setup();
    await user.clear(nameField());
    await user.type(nameField(), "ppo-best");
    await user.click(registerButton());
    const link = await screen.findByRole("link", { name: "ppo-best v2" });
    expect(link).toHaveAttribute("href", "/models/m-9");
    expect(screen.getByText(/Trial #4 registered as/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Register the best" })).not.toBeInTheDocument();
    const request = fetchMock.mock.calls[0]?.[0] as Request;
    expect(request.method).toBe("POST");
    expect(new URL(request.url).pathname).toBe("/api/v1/studies/s-1/register");
    expect(await request.json()).toEqual({ model_name: "ppo-best" });
  });

  it("refuses a bad name before sending anything", async () => {
    const user = setup();
    await user.clear(nameField());
    await user.type(nameField(), "-bad name");
    await user.click(registerButton());
    expect(screen.getByRole("alert")).toHaveTextContent("Up to 64 letters, digits");
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("shows the API's refusal", async () => {
    answer(409, { detail: "the study has not succeeded yet", code: "conflict" });
    const user = setup();
    await user.click(registerButton());
    expect(await screen.findByRole("alert")).toHaveTextContent("the study has not succeeded yet");
  });

  it("links to a model registered before, and offers no second registration", () => {
    setup("m-3");
    expect(screen.getByRole("link", { name: "open the model" })).toHaveAttribute(
      "href",
      "/models/m-3",
    );
    // the staged policy went to that model: the API refuses a second registration (409)
    expect(screen.queryByRole("button", { name: "Register the best" })).not.toBeInTheDocument();
  });
});
