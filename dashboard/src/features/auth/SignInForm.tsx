// Shown when the API answers 401 (ACCOUNTS is on): POST /auth/sign-in sets the session cookie.
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api, unwrap } from "../../api/client";
import { messageOf } from "../../api/errors";
import { signedIn } from "./session";

export function SignInForm() {
  const client = useQueryClient();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>();
  const [pending, setPending] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!username || !password) {
      setError(new Error("Give your user name and password."));
      return;
    }
    setPending(true);
    try {
      const out = await unwrap(api.POST("/api/v1/auth/sign-in", { body: { username, password } }));
      signedIn(out.csrf_token);
      setError(undefined);
      await client.invalidateQueries();
    } catch (caught) {
      setError(caught);
    } finally {
      setPending(false);
    }
  };

  return (
    <main className="signin">
      <form className="form panel" onSubmit={submit} aria-label="Sign in" noValidate>
        <h1>Sign in to tradelab</h1>
        <p className="hint">
          This platform has accounts switched on: sign in to see and run its work.
        </p>
        <label className="field">
          <span className="field-label">User name</span>
          <input
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="field-label">Password</span>
          <input
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error !== undefined && (
          <p className="state state-error" role="alert">
            {messageOf(error)}
          </p>
        )}
        <button type="submit" className="button" disabled={pending}>
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
