// Whether the API asked for a sign-in: set by any 401, cleared by a successful sign-in.
import { useSyncExternalStore } from "react";

let signInNeeded = false;
let csrfToken: string | undefined;
const listeners = new Set<() => void>();

function notify(): void {
  for (const listener of listeners) listener();
}

export function requireSignIn(): void {
  if (signInNeeded) return;
  signInNeeded = true;
  notify();
}

export function signedIn(token: string): void {
  csrfToken = token;
  signInNeeded = false;
  notify();
}

/** The CSRF token from the last sign-in in this page, if any (the cookie outlives a reload). */
export function rememberedCsrfToken(): string | undefined {
  return csrfToken;
}

export function isSignInNeeded(): boolean {
  return signInNeeded;
}

export function useSignInNeeded(): boolean {
  return useSyncExternalStore((listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, isSignInNeeded);
}
