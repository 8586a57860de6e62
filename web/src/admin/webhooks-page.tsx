import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../app/api';
import { ConfirmDialog } from '../app/confirm-dialog';
import { formatTime } from '../app/format';
import { ProblemView } from '../app/problem-view';
import { SecretOnceDialog } from '../app/secret-once-dialog';
import { adminKeys } from './admin-keys';
import { useAdminPermissions } from './admin-permissions';
import { WebhookCreateForm } from './webhook-create-form';
import { WebhookDeliveries } from './webhook-deliveries';

const listWebhooks = () => unwrap(api.GET('/api/v1/webhooks'));
type Endpoint = Awaited<ReturnType<typeof listWebhooks>>[number];

/** Webhook endpoints (create: the signing secret shown once; delete) and the delivery log. */
export function WebhooksPage() {
  const { allowed } = useAdminPermissions();
  const queryClient = useQueryClient();
  const webhooks = useQuery({ queryKey: adminKeys.webhooks, queryFn: listWebhooks });
  const [created, setCreated] = useState<{ url: string; secret: string } | null>(null);
  const [deleting, setDeleting] = useState<Endpoint | null>(null);
  const [endpoint, setEndpoint] = useState('');
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/webhooks/{id}', { params: { path: { id } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['admin'] }),
  });
  return (
    <section>
      <h1>Webhooks</h1>
      {allowed('webhook:create') && (
        <WebhookCreateForm onCreated={(url, secret) => setCreated({ url, secret })} />
      )}
      <h2>Endpoints</h2>
      {webhooks.isPending && <p className="loading">Loading endpoints…</p>}
      {webhooks.isError && <ProblemView error={webhooks.error} />}
      {webhooks.data && webhooks.data.length === 0 && <p className="muted">No endpoint yet.</p>}
      {webhooks.data && webhooks.data.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Webhook endpoints</caption>
            <thead>
              <tr>
                <th scope="col">URL</th>
                <th scope="col">Events</th>
                <th scope="col">Secret</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {webhooks.data.map((w) => (
                <tr key={w.id}>
                  <td>
                    <span className="mono">{w.url}</span>
                    {w.description && <div className="muted">{w.description}</div>}
                  </td>
                  <td>{w.events.join(', ')}</td>
                  <td>
                    <code>{w.secretHint}…</code>
                  </td>
                  <td title={w.createdAt}>
                    {formatTime(w.createdAt)}
                    <div className="muted">{w.createdByName ?? w.createdBy}</div>
                  </td>
                  <td>
                    {allowed('webhook:delete') && (
                      <button type="button" className="danger" onClick={() => setDeleting(w)}>
                        Delete<span className="visually-hidden"> {w.url}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>Deliveries</h2>
      <label htmlFor="deliveries-endpoint">Endpoint</label>
      <select id="deliveries-endpoint" value={endpoint} onChange={(e) => setEndpoint(e.target.value)}>
        <option value="">Every endpoint</option>
        {webhooks.data?.map((w) => (
          <option key={w.id} value={w.id}>
            {w.url}
          </option>
        ))}
      </select>
      <WebhookDeliveries endpoint={endpoint || undefined} />
      {created && (
        <SecretOnceDialog
          title={`Signing secret for ${created.url}`}
          label="signing secret"
          secret={created.secret}
          onClose={() => setCreated(null)}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title="Delete this endpoint?"
          message={`${deleting.url} receives nothing more: its secret is destroyed and pending deliveries are cancelled.`}
          confirmLabel="Delete endpoint"
          onConfirm={() => remove.mutateAsync(deleting.id)}
          onClose={() => setDeleting(null)}
        />
      )}
    </section>
  );
}
