// A fake network edge for component tests: the app's client captured `fetch` when it was made,
// so tests install this before importing it (see vi.hoisted in the tests) and set `answer` per
// test. Every request is kept for assertions.
export type Answer = (request: Request) => Response | Promise<Response>;

export const network: { sent: Request[]; answer: Answer } = {
  sent: [],
  answer: () => json(500, { detail: "no answer set", code: "internal" }),
};

export async function fakeFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const request = input instanceof Request ? input : new Request(input, init);
  network.sent.push(request);
  return network.answer(request);
}

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}
