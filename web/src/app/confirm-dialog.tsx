import { type FormEvent, useState } from 'react';
import { ModalDialog } from './modal-dialog';
import { ProblemView } from './problem-view';

/**
 * Asks before a destructive action; with `askReason` the reason is required and handed to `onConfirm`.
 * Stays open showing the server's problem when the action is refused.
 */
export function ConfirmDialog(props: {
  title: string;
  message: string;
  confirmLabel: string;
  askReason?: boolean;
  onConfirm(reason: string): Promise<unknown>;
  onClose(): void;
}) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await props.onConfirm(reason.trim());
      props.onClose();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <ModalDialog title={props.title} onClose={props.onClose}>
      <form onSubmit={(e) => void submit(e)}>
        <p>{props.message}</p>
        {props.askReason && (
          <>
            <label htmlFor="confirm-reason">Reason</label>
            <input
              id="confirm-reason"
              required
              maxLength={500}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          </>
        )}
        {error !== null && <ProblemView error={error} />}
        <div className="actions">
          <button type="submit" className="danger" disabled={busy}>
            {props.confirmLabel}
          </button>
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
