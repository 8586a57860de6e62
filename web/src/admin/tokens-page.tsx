import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../app/api';
import { ConfirmDialog } from '../app/confirm-dialog';
import { formatTime } from '../app/format';
import { ProblemView } from '../app/problem-view';
import { SecretOnceDialog } from '../app/secret-once-dialog';
import { adminKeys } from './admin-keys';
import { useAdminPermissions, useTokenRevokePermission } from './admin-permissions';
import { TokenCreateForm } from './token-create-form';

type TokenInfo = Awaited<ReturnType<typeof listTokens>>[number];
const listTokens = () => unwrap(api.GET('/api/v1/tokens'));

/** API tokens: who holds which roles, until when; create one (its secret shown once), revoke one. */
export function TokensPage() {
  const { allowed } = useAdminPermissions();
  const queryClient = useQueryClient();
  const tokens = useQuery({ queryKey: adminKeys.tokens, queryFn: listTokens });
  // The new token's secret lives here only while its dialog is open: never in the query cache.
  const [issued, setIssued] = useState<{ name: string; secret: string } | null>(null);
  const [revoking, setRevoking] = useState<TokenInfo | null>(null);
  const revoke = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/tokens/{id}', { params: { path: { id } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: adminKeys.tokens }),
  });

  return (
    <section>
      <h1>Tokens</h1>
      {allowed('identity:token:create') && (
        <TokenCreateForm onIssued={(name, secret) => setIssued({ name, secret })} />
      )}
      {tokens.isPending && <p className="loading">Loading tokens…</p>}
      {tokens.isError && <ProblemView error={tokens.error} />}
      {tokens.data && tokens.data.length === 0 && <p className="muted">No tokens yet.</p>}
      {tokens.data && tokens.data.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">API tokens</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Roles</th>
                <th scope="col">Teams</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.map((t) => (
                <tr key={t.id}>
                  <td>
                    {t.name}
                    <div className="muted mono">{t.id}</div>
                  </td>
                  <td>{t.roles.join(', ')}</td>
                  <td>{t.teams.length ? t.teams.join(', ') : <span className="muted">all</span>}</td>
                  <td title={t.createdAt}>
                    {formatTime(t.createdAt)}
                    <div className="muted">{t.createdBy}</div>
                  </td>
                  <td title={t.expiresAt ?? undefined}>{formatTime(t.expiresAt)}</td>
                  <td title={t.lastUsedAt ?? undefined}>{formatTime(t.lastUsedAt)}</td>
                  <td>
                    <TokenState token={t} />
                  </td>
                  <td>{!t.revokedAt && <RevokeButton token={t} onClick={() => setRevoking(t)} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {issued && (
        <SecretOnceDialog
          title={`Token for ${issued.name}`}
          label="token"
          secret={issued.secret}
          onClose={() => setIssued(null)}
        />
      )}
      {revoking && (
        <ConfirmDialog
          title={`Revoke ${revoking.name}?`}
          message={`Requests with token ${revoking.id} are refused from now on. This cannot be undone.`}
          confirmLabel="Revoke token"
          onConfirm={() => revoke.mutateAsync(revoking.id)}
          onClose={() => setRevoking(null)}
        />
      )}
    </section>
  );
}

function TokenState({ token }: { token: TokenInfo }) {
  if (token.revokedAt)
    return (
      <span className="badge bad" title={`by ${token.revokedBy ?? 'unknown'} at ${token.revokedAt}`}>
        Revoked
      </span>
    );
  if (token.expiresAt && Date.parse(token.expiresAt) < Date.now())
    return <span className="badge warn">Expired</span>;
  return <span className="badge ok">Active</span>;
}

function RevokeButton({ token, onClick }: { token: TokenInfo; onClick(): void }) {
  if (!useTokenRevokePermission(token.id)) return null;
  return (
    <button type="button" className="danger" onClick={onClick}>
      Revoke<span className="visually-hidden"> {token.name}</span>
    </button>
  );
}
