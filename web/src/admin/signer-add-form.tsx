import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { api, unwrap } from '../app/api';
import { ProblemView } from '../app/problem-view';
import { adminKeys } from './admin-keys';

/** Trusts a new signer: a name, an ECDSA public key (PEM) and the environments it may sign for. */
export function SignerAddForm() {
  const queryClient = useQueryClient();
  const id = useId();
  const [name, setName] = useState('');
  const [pem, setPem] = useState('');
  const [picked, setPicked] = useState<string[]>([]);
  const environments = useQuery({
    queryKey: adminKeys.environments,
    queryFn: () => unwrap(api.GET('/api/v1/environments')),
  });
  const add = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/signers', {
          body: {
            name: name.trim(),
            publicKey: pem.trim(),
            ...(picked.length ? { environments: picked } : {}),
          },
        }),
      ),
    onSuccess: () => {
      setName('');
      setPem('');
      setPicked([]);
      return queryClient.invalidateQueries({ queryKey: adminKeys.signers });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  return (
    <form className="create" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Add a signer</h2>
      <label htmlFor={`${id}-name`}>Name</label>
      <input
        id={`${id}-name`}
        required
        maxLength={200}
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
      <label htmlFor={`${id}-pem`}>Public key (PEM)</label>
      <textarea
        id={`${id}-pem`}
        required
        maxLength={16_384}
        placeholder="-----BEGIN PUBLIC KEY-----"
        value={pem}
        onChange={(e) => setPem(e.target.value)}
      />
      <fieldset>
        <legend>Environments it may sign for (none ticked: all)</legend>
        {environments.isError && <ProblemView error={environments.error} />}
        {environments.data?.map((env) => (
          <label key={env.name}>
            <input
              type="checkbox"
              checked={picked.includes(env.name)}
              onChange={(e) =>
                setPicked(e.target.checked ? [...picked, env.name] : picked.filter((n) => n !== env.name))
              }
            />
            {env.name}
          </label>
        ))}
      </fieldset>
      {add.isError && <ProblemView error={add.error} title="The signer was not added" />}
      <button type="submit" className="primary" disabled={add.isPending}>
        Add signer
      </button>
    </form>
  );
}
