// The typed client: paths, parameters and bodies checked against the gateway's OpenAPI.
import createClient, { type Middleware } from "openapi-fetch";
import { rememberedCsrfToken, requireSignIn } from "../features/auth/session";
import { readCookie } from "../lib/cookies";
import { ApiError } from "./errors";
import type { paths } from "./schema";

export const CSRF_COOKIE = "tradelab_csrf";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Writes carry the CSRF token where accounts are on; any 401 asks the user to sign in. */
export const sessionMiddleware: Middleware = {
  onRequest({ request }) {
    if (SAFE_METHODS.has(request.method)) return request;
    const token = readCookie(CSRF_COOKIE) ?? rememberedCsrfToken();
    if (token) request.headers.set("X-CSRF-Token", token);
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401 && !new URL(request.url).pathname.endsWith("/auth/sign-in")) {
      requireSignIn();
    }
    return response;
  },
};

export const api = createClient<paths>({
  baseUrl: globalThis.location?.origin ?? "",
  credentials: "same-origin",
});
api.use(sessionMiddleware);

/** The data of a call, or an ApiError with the API's detail. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok || data === undefined) throw new ApiError(response.status, error);
  return data;
}
