import { CopyButton } from './copy-button';
import { ModalDialog } from './modal-dialog';

/**
 * Shows a secret the server hands out once (a token, a signing secret) with a copy button. The caller
 * holds the secret in component state only and drops it in `onClose`: once closed it is nowhere.
 */
export function SecretOnceDialog(props: { title: string; label: string; secret: string; onClose(): void }) {
  return (
    <ModalDialog title={props.title} onClose={props.onClose}>
      <p>
        Copy the {props.label} now: it is shown <strong>this once</strong> and cannot be shown again.
      </p>
      <p className="secret">
        <code data-testid="secret-value">{props.secret}</code>
        <CopyButton value={props.secret} label={props.label} />
      </p>
      <div className="actions">
        <button type="button" className="primary" onClick={props.onClose}>
          I have copied it — close
        </button>
      </div>
    </ModalDialog>
  );
}
