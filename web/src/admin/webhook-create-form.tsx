import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { api, unwrap } from '../app/api';
import { ProblemView } from '../app/problem-view';
import { adminKeys, type WebhookEvent, webhookEvents } from './admin-keys';

/**
 * Registers an endpoint. Its signing secret goes straight to `onCreated` (the caller's dialog state); the
 * mutation keeps only the id, so no cache ever holds the secret.
 */
export function WebhookCreateForm({ onCreated }: { onCreated(url: string, secret: string): void }) {
  const queryClient = useQueryClient();
  const id = useId();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [all, setAll] = useState(true);
  const [picked, setPicked] = useState<WebhookEvent[]>([]);
  const create = useMutation({
    gcTime: 0,
    mutationFn: async () => {
      const made = await unwrap(
        api.POST('/api/v1/webhooks', {
          body: {
            url: url.trim(),
            events: all ? ['*'] : picked,
            ...(description.trim() ? { description: description.trim() } : {}),
          },
        }),
      );
      onCreated(made.url, made.secret);
      return { id: made.id };
    },
    onSuccess: () => {
      setUrl('');
      setDescription('');
      return queryClient.invalidateQueries({ queryKey: adminKeys.webhooks });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <form className="create" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Add an endpoint</h2>
      <div className="row">
        <div>
          <label htmlFor={`${id}-url`}>URL</label>
          <input
            id={`${id}-url`}
            type="url"
            required
            size={40}
            placeholder="https://hooks.example.com/warden"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor={`${id}-description`}>Description</label>
          <input
            id={`${id}-description`}
            maxLength={200}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </div>
      </div>
      <fieldset>
        <legend>Events</legend>
        <label>
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
          Every event
        </label>
        {!all &&
          webhookEvents.map((event) => (
            <label key={event}>
              <input
                type="checkbox"
                checked={picked.includes(event)}
                onChange={(e) =>
                  setPicked(e.target.checked ? [...picked, event] : picked.filter((p) => p !== event))
                }
              />
              {event}
            </label>
          ))}
      </fieldset>
      {create.isError && <ProblemView error={create.error} title="The endpoint was not added" />}
      <button type="submit" className="primary" disabled={create.isPending || (!all && picked.length === 0)}>
        Add endpoint
      </button>
    </form>
  );
}
