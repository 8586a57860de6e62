import { useMutation } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useId, useRef, useState } from 'react';
import { ProblemView } from './problem-view';
import './action-dialog.css';

export interface ActionDialogProps {
  /** The button's text, e.g. "Approve". */
  label: string;
  /** The dialog's heading, e.g. "Approve iris v4 for production?". */
  title: string;
  description?: ReactNode;
  /** Whether the API takes a reason, and must have one. */
  reason: 'required' | 'optional' | 'none';
  /** Undoes or ends something: a red button and a confirmation step, whatever the reason setting. */
  destructive?: boolean;
  primary?: boolean;
  /** The confirming button's text (defaults to the label). */
  confirmLabel?: string;
  /** Performs the action; a rejection (an ApiError) is shown as the server's problem. */
  run(reason: string | undefined): Promise<unknown>;
  /** After success: refetch what the action changed. */
  onDone?(): void;
}

/**
 * One action button. An action that takes a reason, or undoes something, opens a modal dialog that asks for
 * the reason and the confirmation; one that takes neither runs at once. The server's refusal is shown where
 * the action was started, with its request id.
 */
export function ActionDialog(props: ActionDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const headingId = useId();
  const reasonId = useId();
  const [text, setText] = useState('');
  const [done, setDone] = useState(false);
  const asks = props.reason !== 'none' || props.destructive;
  const mutation = useMutation({
    mutationFn: () => props.run(text.trim() === '' ? undefined : text.trim()),
    onSuccess: () => {
      dialog.current?.close();
      setText('');
      setDone(true);
      props.onDone?.();
    },
  });

  const open = () => {
    mutation.reset();
    setDone(false);
    if (asks) dialog.current?.showModal();
    else mutation.mutate();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate();
  };
  const buttonClass = props.destructive ? 'danger' : props.primary ? 'primary' : undefined;

  return (
    <span className="action">
      <button type="button" className={buttonClass} onClick={open} disabled={mutation.isPending}>
        {props.label}
      </button>
      <span role="status" className="visually-hidden">
        {done ? `${props.label}: done` : ''}
      </span>
      {!asks && mutation.isError && <ProblemView error={mutation.error} title={`${props.label} refused`} />}
      {asks && (
        <dialog ref={dialog} aria-labelledby={headingId} className="action-dialog">
          <form onSubmit={submit}>
            <h2 id={headingId}>{props.title}</h2>
            {props.description && <div className="muted">{props.description}</div>}
            {props.reason !== 'none' && (
              <>
                <label htmlFor={reasonId}>
                  Reason{props.reason === 'required' ? ' (required)' : ' (optional)'}
                </label>
                <textarea
                  id={reasonId}
                  rows={3}
                  maxLength={500}
                  required={props.reason === 'required'}
                  value={text}
                  onChange={(e) => setText(e.target.value)}
                  autoFocus
                />
              </>
            )}
            {mutation.isError && <ProblemView error={mutation.error} title={`${props.label} refused`} />}
            <div className="actions">
              <button
                type="submit"
                className={props.destructive ? 'danger' : 'primary'}
                disabled={mutation.isPending || (props.reason === 'required' && text.trim() === '')}
              >
                {mutation.isPending ? 'Working…' : (props.confirmLabel ?? props.label)}
              </button>
              <button type="button" onClick={() => dialog.current?.close()}>
                Close
              </button>
            </div>
          </form>
        </dialog>
      )}
    </span>
  );
}
