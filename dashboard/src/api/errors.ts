import type { ErrorBody } from "./types";

/** A failed API call, carrying the API's own `detail` (what is wrong and how to fix it). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string | undefined;
  readonly field: string | null | undefined;

  constructor(status: number, body: unknown) {
    const parsed = asErrorBody(body);
    super(parsed?.detail ?? `the API answered ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.code = parsed?.code;
    this.field = parsed?.field;
  }
}

function asErrorBody(body: unknown): ErrorBody | undefined {
  if (typeof body === "object" && body !== null && "detail" in body) {
    const detail = (body as { detail: unknown }).detail;
    if (typeof detail === "string") return body as ErrorBody;
  }
  return undefined;
}

/** What to show for any thrown value: the API's detail, or the browser's reason. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return `the API is unreachable (${error.message})`;
  if (error instanceof Error) return error.message;
  return String(error);
}
