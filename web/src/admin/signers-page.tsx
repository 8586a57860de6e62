import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../app/api';
import { ConfirmDialog } from '../app/confirm-dialog';
import { formatTime } from '../app/format';
import { ProblemView } from '../app/problem-view';
import { adminKeys } from './admin-keys';
import { useAdminPermissions } from './admin-permissions';
import { SignerAddForm } from './signer-add-form';

const listSigners = () => unwrap(api.GET('/api/v1/signers'));
type Signer = Awaited<ReturnType<typeof listSigners>>[number];

/** The public keys whose model signatures Warden trusts, and for which environments. */
export function SignersPage() {
  const { allowed } = useAdminPermissions();
  const queryClient = useQueryClient();
  const signers = useQuery({ queryKey: adminKeys.signers, queryFn: listSigners });
  const [revoking, setRevoking] = useState<Signer | null>(null);
  const revoke = useMutation({
    mutationFn: (name: string) =>
      unwrap(api.DELETE('/api/v1/signers/{name}', { params: { path: { name } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: adminKeys.signers }),
  });
  return (
    <section>
      <h1>Trusted signers</h1>
      {allowed('signing:signer:create') && <SignerAddForm />}
      {signers.isPending && <p className="loading">Loading signers…</p>}
      {signers.isError && <ProblemView error={signers.error} />}
      {signers.data && signers.data.length === 0 && <p className="muted">No trusted signer yet.</p>}
      {signers.data && signers.data.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Trusted signers</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Environments</th>
                <th scope="col">Added</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {signers.data.map((s) => (
                <tr key={s.name}>
                  <td>{s.name}</td>
                  <td>
                    <code title={s.keyHint}>{s.keyHint.slice(0, 16)}…</code>
                    <details>
                      <summary>Public key</summary>
                      <pre className="mono">{s.publicKeyPem}</pre>
                    </details>
                  </td>
                  <td>
                    {s.environments.length ? s.environments.join(', ') : <span className="muted">all</span>}
                  </td>
                  <td title={s.createdAt}>
                    {formatTime(s.createdAt)}
                    <div className="muted">{s.createdBy}</div>
                  </td>
                  <td>
                    {s.revokedAt ? (
                      <span className="badge bad" title={`by ${s.revokedBy ?? 'unknown'}`}>
                        Revoked {formatTime(s.revokedAt)}
                      </span>
                    ) : (
                      <span className="badge ok">Trusted</span>
                    )}
                  </td>
                  <td>
                    {!s.revokedAt && allowed('signing:signer:revoke') && (
                      <button type="button" className="danger" onClick={() => setRevoking(s)}>
                        Revoke<span className="visually-hidden"> {s.name}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {revoking && (
        <ConfirmDialog
          title={`Revoke signer ${revoking.name}?`}
          message="Every signature by this key shows as revoked from now on, and deployments that require a trusted signature refuse its versions."
          confirmLabel="Revoke signer"
          onConfirm={() => revoke.mutateAsync(revoking.name)}
          onClose={() => setRevoking(null)}
        />
      )}
    </section>
  );
}
