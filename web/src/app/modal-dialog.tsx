import { type ReactNode, useEffect, useId, useRef } from 'react';
import './modal-dialog.css';

/**
 * A modal `<dialog>` (focus kept inside, Escape closes, the page behind inert), open while rendered.
 * The caller unmounts it to close it, so what it showed leaves the DOM.
 */
export function ModalDialog(props: { title: string; onClose(): void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="modal"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        props.onClose();
      }}
    >
      <h2 id={titleId}>{props.title}</h2>
      {props.children}
    </dialog>
  );
}
