import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { api, unwrap } from '../app/api';
import { ProblemView } from '../app/problem-view';
import { adminKeys, type TokenRole, tokenRoles } from './admin-keys';

const listOf = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * Issues a token. The answer's secret goes straight to `onIssued` (the caller's dialog state) and the
 * mutation keeps only the id, so no cache ever holds the secret.
 */
export function TokenCreateForm({ onIssued }: { onIssued(name: string, secret: string): void }) {
  const queryClient = useQueryClient();
  const id = useId();
  const [name, setName] = useState('');
  const [picked, setPicked] = useState<TokenRole[]>(['viewer']);
  const [teams, setTeams] = useState('');
  const [expires, setExpires] = useState('90d');
  const create = useMutation({
    gcTime: 0,
    mutationFn: async () => {
      const issued = await unwrap(
        api.POST('/api/v1/tokens', {
          body: {
            name: name.trim(),
            roles: picked,
            ...(listOf(teams).length ? { teams: listOf(teams) } : {}),
            ...(expires.trim() ? { expires: expires.trim() } : {}),
          },
        }),
      );
      onIssued(issued.name, issued.token);
      return { id: issued.id };
    },
    onSuccess: () => {
      setName('');
      setTeams('');
      return queryClient.invalidateQueries({ queryKey: adminKeys.tokens });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <form className="create" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Create a token</h2>
      <div className="row">
        <div>
          <label htmlFor={`${id}-name`}>Service account name</label>
          <input
            id={`${id}-name`}
            required
            maxLength={200}
            pattern="[a-z0-9][a-z0-9-]*"
            title="lower-case letters, digits and hyphens"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor={`${id}-teams`}>Teams (comma-separated, empty for all)</label>
          <input id={`${id}-teams`} value={teams} onChange={(e) => setTeams(e.target.value)} />
        </div>
        <div>
          <label htmlFor={`${id}-expires`}>Expires in or on</label>
          <input
            id={`${id}-expires`}
            maxLength={40}
            placeholder="90d, 12h or 2026-12-31"
            value={expires}
            onChange={(e) => setExpires(e.target.value)}
          />
        </div>
      </div>
      <fieldset>
        <legend>Roles</legend>
        {tokenRoles.map((role) => (
          <label key={role}>
            <input
              type="checkbox"
              checked={picked.includes(role)}
              onChange={(e) =>
                setPicked(e.target.checked ? [...picked, role] : picked.filter((r) => r !== role))
              }
            />
            {role}
          </label>
        ))}
      </fieldset>
      {create.isError && <ProblemView error={create.error} title="The token was not created" />}
      <button type="submit" className="primary" disabled={create.isPending || picked.length === 0}>
        Create token
      </button>
    </form>
  );
}
