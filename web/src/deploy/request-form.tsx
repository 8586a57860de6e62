import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../app/api';
import { ProblemView } from '../app/problem-view';
import { useRefreshDeploy } from './deploy-queries';
import { GatesTable } from './gates-table';

type Slot = 'stable' | 'canary' | 'shadow';

/** A version number stays a number; anything else (an alias, a digest) goes as text. */
const versionRef = (text: string): number | string => (/^\d+$/.test(text) ? Number(text) : text);

/**
 * Requests a deployment of one version (a number, an alias or a digest) into a slot, with a reason; a
 * dry run shows every gate's verdict first. A created request opens on its own page.
 */
export function RequestForm({ env, model, canCheck }: { env: string; model: string; canCheck: boolean }) {
  const id = useId();
  const navigate = useNavigate();
  const refresh = useRefreshDeploy();
  const [version, setVersion] = useState('');
  const [slot, setSlot] = useState<Slot>('stable');
  const [percent, setPercent] = useState('10');
  const [reason, setReason] = useState('');
  const body = () => ({
    model,
    version: versionRef(version.trim()),
    ...(slot === 'stable' ? {} : { slot, percent: Number(percent) }),
    ...(reason.trim() ? { reason: reason.trim() } : {}),
  });
  const request = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/api/v1/environments/{env}/requests', { params: { path: { env } }, body: body() })),
    onSuccess: async (result) => {
      await refresh();
      navigate(`/deploy-requests/${result.request.id}`);
    },
  });
  const check = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/environments/{env}/check', {
          params: { path: { env } },
          body: { model, version: versionRef(version.trim()) },
        }),
      ),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    check.reset();
    request.mutate();
  };

  return (
    <form onSubmit={submit} aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Request deployment</h2>
      <div className="row">
        <div>
          <label htmlFor={`${id}-version`}>Version</label>
          <input
            id={`${id}-version`}
            value={version}
            onChange={(e) => setVersion(e.target.value)}
            placeholder="number, alias or digest"
            required
            spellCheck={false}
          />
        </div>
        <div>
          <label htmlFor={`${id}-slot`}>Slot</label>
          <select id={`${id}-slot`} value={slot} onChange={(e) => setSlot(e.target.value as Slot)}>
            <option value="stable">stable</option>
            <option value="canary">canary</option>
            <option value="shadow">shadow</option>
          </select>
        </div>
        {slot !== 'stable' && (
          <div>
            <label htmlFor={`${id}-percent`}>Percent of traffic</label>
            <input
              id={`${id}-percent`}
              type="number"
              min={1}
              max={slot === 'canary' ? 99 : 100}
              value={percent}
              onChange={(e) => setPercent(e.target.value)}
              required
            />
          </div>
        )}
      </div>
      <label htmlFor={`${id}-reason`}>Reason (optional)</label>
      <textarea
        id={`${id}-reason`}
        rows={2}
        maxLength={500}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
      <div className="actions">
        <button type="submit" className="primary" disabled={request.isPending || !version.trim()}>
          {request.isPending ? 'Requesting…' : 'Request deployment'}
        </button>
        {canCheck && (
          <button
            type="button"
            disabled={check.isPending || !version.trim()}
            onClick={() => {
              request.reset();
              check.mutate();
            }}
          >
            Check gates
          </button>
        )}
      </div>
      {request.isError && <ProblemView error={request.error} title="Request refused" />}
      {check.isError && <ProblemView error={check.error} title="Check refused" />}
      {check.data && (
        <div role="status">
          <p>
            Dry run for v{check.data.version}:{' '}
            {check.data.gates.passed ? 'every gate passes' : 'a gate fails'}; {check.data.approvalsNeeded}{' '}
            approval(s) needed.
          </p>
          <GatesTable
            gates={check.data.gates}
            caption={`Gates for ${model} v${check.data.version} in ${env}`}
          />
        </div>
      )}
    </form>
  );
}
