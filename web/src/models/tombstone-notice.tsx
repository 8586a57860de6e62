import { formatTime } from '../app/format';
import { ActorName } from './actor-name';
import type { Version } from './models-types';

/** A deleted version: its record stays, its bytes are gone; who deleted it, when and why. */
export function TombstoneNotice({ deleted }: { deleted: NonNullable<Version['deleted']> }) {
  return (
    <div className="problem tombstone" role="note" aria-label="Deleted version">
      <strong>Deleted</strong>
      <p>
        Deleted <time dateTime={deleted.at}>{formatTime(deleted.at)}</time> by{' '}
        <ActorName id={deleted.by} name={deleted.byName} />. Its files were destroyed; this record stays.
      </p>
      <p className="reason">Reason: {deleted.reason}</p>
    </div>
  );
}
