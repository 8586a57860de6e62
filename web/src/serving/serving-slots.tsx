import type { paths } from '../api/schema';
import { CopyButton } from '../app/copy-button';
import { shortDigest } from '../app/format';

export type ServedModel =
  paths['/api/v1/environments/{env}/serving']['get']['responses'][200]['content']['application/json']['models'][number];
type Slot = NonNullable<ServedModel['stable']>;

/** Each version the gateway holds for a model: digest, slot, runtime load state, and why it refused one. */
export function ServingSlots({ model }: { model: ServedModel }) {
  const rows: [string, Slot][] = [];
  if (model.stable) rows.push(['stable', model.stable]);
  if (model.candidate) rows.push([`${model.candidate.mode} ${model.candidate.percent}%`, model.candidate]);
  if (model.refused) rows.push(['refused', model.refused]);
  if (rows.length === 0) return <p className="muted">Nothing deployed.</p>;
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">Versions of {model.name} in the gateway</caption>
        <thead>
          <tr>
            <th scope="col">Slot</th>
            <th scope="col">Version</th>
            <th scope="col">Digest</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([slot, s]) => (
            <tr key={slot}>
              <td>{slot}</td>
              <td>{s.version}</td>
              <td>
                <code title={s.digest}>{shortDigest(s.digest)}</code>
                <CopyButton value={s.digest} label={`digest of version ${s.version}`} />
              </td>
              <td>
                {s.loaded ? (
                  <span className="badge ok">Loaded</span>
                ) : s.failure ? (
                  <>
                    <span className="badge bad">Refused: {s.failure.check}</span>
                    <div>{s.failure.reason}</div>
                  </>
                ) : (
                  <span className="badge warn">Not loaded</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
