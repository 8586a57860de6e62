import { CopyButton } from '../app/copy-button';
import { formatBytes, formatTime } from '../app/format';
import { ActorName } from './actor-name';
import type { VersionDetail } from './models-types';

/** The version's identity (its root digest, copyable) and what it is. */
export function VersionFacts({ version: v }: { version: VersionDetail }) {
  return (
    <dl className="facts">
      <dt>Root digest</dt>
      <dd>
        <code className="digest">{v.digest}</code>
        <CopyButton value={v.digest} label="root digest" />
      </dd>
      <dt>Kind and format</dt>
      <dd>
        {v.kind}, {v.format}
      </dd>
      <dt>Size</dt>
      <dd>
        {formatBytes(v.size)} in {v.fileCount} {v.fileCount === 1 ? 'file' : 'files'}
      </dd>
      <dt>Pushed</dt>
      <dd>
        <time dateTime={v.createdAt}>{formatTime(v.createdAt)}</time> by{' '}
        <ActorName id={v.createdBy} name={v.createdByName} />
      </dd>
      <dt>Aliases</dt>
      <dd>{v.aliases.length ? v.aliases.join(', ') : <span className="muted">none</span>}</dd>
      <dt>Signed for</dt>
      <dd>{v.signedFor.length ? v.signedFor.join(', ') : <span className="muted">no environment</span>}</dd>
    </dl>
  );
}
