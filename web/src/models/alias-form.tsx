import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api, unwrap } from '../app/api';
import { ProblemView } from '../app/problem-view';
import { modelKeys } from './models-queries';

/** Points an alias at a version (`PUT …/aliases/{alias}`) with the reason kept in its history. */
export function AliasForm(props: { name: string; alias: string; latest: number | null }) {
  const id = useId();
  const queryClient = useQueryClient();
  const [alias, setAlias] = useState(props.alias);
  const [version, setVersion] = useState(props.latest === null ? '' : String(props.latest));
  const [reason, setReason] = useState('');
  const set = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT('/api/v1/models/{name}/aliases/{alias}', {
          params: { path: { name: props.name, alias: alias.trim() } },
          body: {
            version: /^[1-9][0-9]*$/.test(version.trim()) ? Number(version.trim()) : version.trim(),
            ...(reason.trim() ? { reason: reason.trim() } : {}),
          },
        }),
      ),
    onSuccess: async () => {
      setReason('');
      await queryClient.invalidateQueries({ queryKey: modelKeys.all });
    },
  });
  return (
    <form
      className="panel"
      aria-labelledby={`${id}-heading`}
      onSubmit={(e) => {
        e.preventDefault();
        set.mutate();
      }}
    >
      <h3 id={`${id}-heading`}>Set or move an alias</h3>
      <div className="row">
        <div>
          <label htmlFor={`${id}-alias`}>Alias</label>
          <input
            id={`${id}-alias`}
            required
            maxLength={63}
            value={alias}
            onChange={(e) => setAlias(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor={`${id}-version`}>Version (number, digest or alias)</label>
          <input
            id={`${id}-version`}
            required
            maxLength={100}
            value={version}
            onChange={(e) => setVersion(e.target.value)}
          />
        </div>
        <div className="grow">
          <label htmlFor={`${id}-reason`}>Reason</label>
          <input
            id={`${id}-reason`}
            required
            maxLength={1000}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        </div>
        <button type="submit" className="primary" disabled={set.isPending}>
          {set.isPending ? 'Setting…' : 'Set alias'}
        </button>
      </div>
      {set.isError && <ProblemView error={set.error} title="The alias was not set" />}
      {set.isSuccess && (
        <p role="status">
          {set.data.changed
            ? `${set.data.alias.name} now points at v${set.data.alias.version}.`
            : `${set.data.alias.name} already pointed at v${set.data.alias.version}.`}
        </p>
      )}
    </form>
  );
}
