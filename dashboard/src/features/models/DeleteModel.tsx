// Deleting removes the artifact for good, so the name must be typed in a dialog first.
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { messageOf } from "../../api/errors";

type Props = {
  name: string;
  version: number;
  onDelete: () => void;
  pending?: boolean;
  error?: unknown;
};

export function DeleteModel({ name, version, onDelete, pending, error }: Props) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button button-danger" onClick={() => setOpen(true)}>
        Delete model
      </button>
      {open && (
        <ConfirmDialog
          name={name}
          version={version}
          onConfirm={onDelete}
          onCancel={() => setOpen(false)}
          pending={pending}
          error={error}
        />
      )}
    </>
  );
}

type DialogProps = Omit<Props, "onDelete"> & { onConfirm: () => void; onCancel: () => void };

function ConfirmDialog(props: DialogProps) {
  const { name, version, onConfirm, onCancel, pending, error } = props;
  const id = useId();
  const ref = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState("");

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    // showModal traps focus and adds the backdrop; jsdom lacks it, so fall back to `open`
    if (typeof dialog.showModal === "function") dialog.showModal();
    else dialog.setAttribute("open", "");
    return () => dialog.close?.();
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (typed === name) onConfirm();
  };

  return (
    <dialog
      ref={ref}
      className="confirm-dialog"
      aria-labelledby={`${id}-title`}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <form onSubmit={submit} className="editor">
        <h2 id={`${id}-title`}>
          Delete {name} v{version}?
        </h2>
        <p>
          Its artifact is removed and it leaves the registry; simulations that used it keep their
          results. A model in production cannot be deleted: change its stage first.
        </p>
        <div className="field">
          <label className="field-label" htmlFor={`${id}-name`}>
            Type {name} to confirm
          </label>
          <input
            id={`${id}-name`}
            value={typed}
            autoComplete="off"
            onChange={(e) => setTyped(e.target.value)}
          />
        </div>
        {error !== undefined && error !== null && (
          <p className="state state-error" role="alert">
            {messageOf(error)}
          </p>
        )}
        <div className="actions-row">
          <button
            type="submit"
            className="button button-danger"
            disabled={typed !== name || pending}
          >
            {pending ? "Deleting…" : "Delete for good"}
          </button>
          <button type="button" className="button button-plain" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
