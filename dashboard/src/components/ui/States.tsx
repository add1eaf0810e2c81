// The three states every list and page has besides its data.
import type { ReactNode } from "react";
import { messageOf } from "../../api/errors";

export function Loading({ what }: { what: string }) {
  return (
    <output className="state" aria-live="polite">
      Loading {what}…
    </output>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state state-empty">{children}</div>;
}

export function ErrorNote({ error, retry }: { error: unknown; retry?: () => void }) {
  return (
    <div className="state state-error" role="alert">
      <strong>Something went wrong:</strong> {messageOf(error)}
      {retry && (
        <button type="button" className="link-button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}
