import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api, unwrap } from '../app/api';
import { ProblemView } from '../app/problem-view';
import { modelKeys } from './models-queries';
import type { ModelDetail } from './models-types';

/** Changes a model's description and tags (`PATCH /models/{name}`); the server checks both. */
export function ModelEditForm({ model, onDone }: { model: ModelDetail; onDone(): void }) {
  const id = useId();
  const queryClient = useQueryClient();
  const [description, setDescription] = useState(model.description);
  const [tags, setTags] = useState(model.tags.join(', '));
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH('/api/v1/models/{name}', {
          params: { path: { name: model.name } },
          body: {
            description,
            tags: tags
              .split(/[\s,]+/)
              .map((t) => t.trim())
              .filter(Boolean),
          },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: modelKeys.all });
      onDone();
    },
  });
  return (
    <form
      className="edit-form"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <label htmlFor={`${id}-description`}>Description</label>
      <textarea
        id={`${id}-description`}
        rows={4}
        maxLength={10_000}
        value={description}
        onChange={(e) => setDescription(e.target.value)}
      />
      <label htmlFor={`${id}-tags`}>Tags (separated by commas)</label>
      <input id={`${id}-tags`} value={tags} onChange={(e) => setTags(e.target.value)} />
      {save.isError && <ProblemView error={save.error} title="The model was not changed" />}
      <div className="actions">
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
