import createClient from "openapi-fetch";
import { afterEach, describe, expect, it } from "vitest";
import { isSignInNeeded, signedIn } from "../features/auth/session";
import { sessionMiddleware } from "./client";
import type { paths } from "./schema";

/** A client like the app's, whose requests land in `sent` and get `status` back. */
function clientAnswering(status: number, body: unknown = {}) {
  const sent: Request[] = [];
  const client = createClient<paths>({
    baseUrl: "http://127.0.0.1:8000",
    fetch: async (request: Request) => {
      sent.push(request);
      return new Response(JSON.stringify(body), {
        status,
        headers: { "Content-Type": "application/json" },
      });
    },
  });
  client.use(sessionMiddleware);
  return { client, sent };
}

afterEach(() => {
  document.cookie = "tradelab_csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT";
  signedIn("");
});

describe("the session middleware", () => {
  it("sends the CSRF cookie's token on writes, not on reads", async () => {
    document.cookie = "tradelab_csrf=token-123";
    const { client, sent } = clientAnswering(200);
    await client.POST("/api/v1/jobs/{job_id}/cancel", { params: { path: { job_id: "j1" } } });
    await client.GET("/api/v1/jobs");
    expect(sent[0]?.headers.get("X-CSRF-Token")).toBe("token-123");
    expect(sent[1]?.headers.get("X-CSRF-Token")).toBeNull();
  });

  it("sends no CSRF header without accounts (no cookie, no sign-in)", async () => {
    const { client, sent } = clientAnswering(200);
    await client.POST("/api/v1/jobs/{job_id}/cancel", { params: { path: { job_id: "j1" } } });
    expect(sent[0]?.headers.has("X-CSRF-Token")).toBe(false);
  });

  it("asks for a sign-in when the API answers 401, and not for a wrong password", async () => {
    const denied = clientAnswering(401, { detail: "sign in first", code: "unauthenticated" });
    await denied.client.POST("/api/v1/auth/sign-in", {
      body: { username: "ann", password: "bad" },
    });
    expect(isSignInNeeded()).toBe(false);
    await denied.client.GET("/api/v1/jobs");
    expect(isSignInNeeded()).toBe(true);
    signedIn("token-456");
    expect(isSignInNeeded()).toBe(false);
  });
});
