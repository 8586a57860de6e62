import { cpSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminTokenOf,
  cleanup,
  type RunningWarden,
  repoRoot,
  startServer,
  tempDir,
  warden,
  wardenJson,
} from './helpers.js';

const irisModel = path.join(repoRoot, 'examples', 'iris', 'model');
const body = JSON.stringify({
  inputs: [{ name: 'float_input', shape: [1, 4], datatype: 'FP32', data: [5.1, 3.5, 1.4, 0.2] }],
});
const burst = 1000;

interface Answer {
  status: number;
  digest: string | undefined;
  label: unknown;
  /** ms since the burst started */
  at: number;
}

/**
 * One inference over `agent`'s pool: its status, the digest that answered and the predicted label. A
 * transport error is an answer too (status 0), so a dropped connection fails the assertions, not the run.
 */
function infer(agent: http.Agent, url: string, token: string, started: number): Promise<Answer> {
  return new Promise((resolve) => {
    const req = http.request(
      `${url}/v2/models/iris/infer`,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (s: string) => {
          text += s;
        });
        res.on('end', () => {
          let label: unknown = null;
          try {
            const outputs = (JSON.parse(text) as { outputs?: { name: string; data: unknown[] }[] }).outputs;
            label = outputs?.find((o) => o.name === 'label')?.data[0] ?? null;
          } catch {}
          resolve({
            status: res.statusCode ?? 0,
            digest: res.headers['x-warden-model-digest'] as string | undefined,
            label,
            at: performance.now() - started,
          });
        });
      },
    );
    req.on('error', () => resolve({ status: 0, digest: undefined, label: null, at: -1 }));
    req.end(body);
  });
}

describe('the gateway during a rollback, over real sockets against warden serve', {
  timeout: 120_000,
}, () => {
  let server: RunningWarden;
  let token = '';
  const digests = { v1: '', v2: '' };
  const agent = new http.Agent({ keepAlive: true, maxSockets: burst });

  /** Waits (bounded) until the gateway, following the live state, answers with `digest`. */
  async function untilServed(digest: string, withinMs = 10_000): Promise<number> {
    const started = performance.now();
    for (;;) {
      const answer = await infer(agent, server.url, token, started);
      if (answer.status === 200 && answer.digest === digest) return answer.at;
      if (answer.at > withinMs) throw new Error(`${digest} is not served: ${JSON.stringify(answer)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** An API call as the bootstrap admin (the deployer). */
  const api = (route: string, payload: unknown) =>
    fetch(`${server.url}/api/v1${route}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminTokenOf(server.url)}`, 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });

  beforeAll(async () => {
    // Production with the signature gate alone and no approvals: what is tested is serving, not governance.
    const environments = {
      production: { approvals: 0, autoApply: true, gates: ['signature'], requireVulnReport: false },
    };
    server = await startServer({ env: { WARDEN_ENVIRONMENTS: JSON.stringify(environments) } });
    const work = tempDir('warden-rollback-');
    const as = { url: server.url };
    const ok = async (args: string[]) => {
      const res = await warden(args, as);
      expect(res.code, `warden ${args.join(' ')}\n${res.stderr}`).toBe(0);
      return res.stdout;
    };
    // v2: the same graph with a release note beside it, so a different root digest.
    const v2Dir = path.join(work, 'iris-v2');
    cpSync(irisModel, v2Dir, { recursive: true });
    writeFileSync(path.join(v2Dir, 'NOTES.md'), 'v2: the same weights, re-released\n');
    const key = path.join(work, 'release');
    await Promise.all([ok(['keygen', '--out', key]), ok(['model', 'create', 'iris', '--owner', 'ml-team'])]);
    const sign = (dir: string, signature: string) =>
      ok(['sign', dir, '--key', `${key}.pem`, '--signature', signature]);
    await Promise.all([
      ok(['signer', 'add', 'release', '--key', `${key}.pub`, '--env', 'production']),
      sign(irisModel, path.join(work, 'v1.sig')),
      sign(v2Dir, path.join(work, 'v2.sig')),
    ]);
    for (const [v, dir] of [
      ['v1', irisModel],
      ['v2', v2Dir],
    ] as const) {
      const pushed = await wardenJson<{ number: number; digest: string }>(
        ['model', 'push', dir, '--model', 'iris', '--signature', path.join(work, `${v}.sig`)],
        as,
      );
      digests[v] = pushed.digest;
      const { request } = await wardenJson<{ request: { state: string } }>(
        ['deploy', 'request', 'production', `iris@${pushed.number}`, '--reason', `release ${v}`],
        as,
      );
      expect(request.state).toBe('applied');
    }
    token = /wdn_\S+/.exec(await ok(['token', 'create', '--name', 'traffic', '--role', 'viewer']))?.[0] ?? '';
    expect(token).toMatch(/^wdn_/);
    await untilServed(digests.v2);
  });
  afterAll(async () => {
    agent.destroy();
    try {
      await server?.stop();
    } finally {
      await cleanup();
    }
  });

  it(`answers all ${burst} concurrent requests with v1 or v2 while production rolls back, then v1 within a second`, async () => {
    // A first burst on v2 opens the pool's connections, so the measured ones start answering at once.
    const warm = await Promise.all(Array.from({ length: burst }, () => infer(agent, server.url, token, 0)));
    expect(warm.filter((a) => a.status !== 200 || a.digest !== digests.v2)).toEqual([]);

    // The rollback goes `lead` ms ahead of the burst. Whether the gateway swaps to v1 before, during or
    // after the burst depends on how the one event loop interleaves them, so the lead is searched (at most
    // four tries, v2 re-deployed between them) until a burst sees both digests: the swap happened while it
    // was in flight. Every try must answer all its requests.
    let lo = -400;
    let hi = 0;
    let mixed = false;
    for (let attempt = 0; attempt < 4 && !mixed; attempt++) {
      if (attempt > 0) {
        const again = await api('/environments/production/requests', { model: 'iris', version: '2' });
        expect(again.status, await again.clone().text()).toBe(201);
        await untilServed(digests.v2);
      }
      const lead = Math.round((lo + hi) / 2);
      const pause = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
      const rollBack = () => api('/environments/production/models/iris/rollback', { reason: 'under load' });
      // A negative lead: the burst goes first, the rollback that long after it.
      const rollback = lead >= 0 ? rollBack() : pause(-lead).then(rollBack);
      if (lead > 0) await pause(lead);
      const started = performance.now();
      const all = await Promise.all(
        Array.from({ length: burst }, () => infer(agent, server.url, token, started)),
      );
      const rolledBack = await rollback;
      expect(rolledBack.status, await rolledBack.clone().text()).toBe(200);
      expect(((await rolledBack.json()) as { digest?: string }).digest).toBe(digests.v1);

      const failed = all.filter(
        (a) => a.status !== 200 || (a.digest !== digests.v1 && a.digest !== digests.v2),
      );
      expect(failed, `lead ${lead} ms: ${JSON.stringify(failed.slice(0, 5))}`).toEqual([]);
      expect(all.every((a) => a.label === 0)).toBe(true);
      const v1 = all.filter((a) => a.digest === digests.v1).length;
      mixed = v1 > 0 && v1 < burst;
      if (v1 === burst)
        hi = lead; // swapped before the burst was answered: less lead
      else if (v1 === 0) lo = lead; // swapped after: more lead

      // Once the rollback has settled, v1 answers within a second and nothing answers v2 again.
      expect(await untilServed(digests.v1, 1000)).toBeLessThan(1000);
      const after = await Promise.all(Array.from({ length: 20 }, () => infer(agent, server.url, token, 0)));
      expect(after.map((a) => [a.status, a.digest])).toEqual(after.map(() => [200, digests.v1]));
    }
    expect(mixed, 'no burst saw the swap: the rollback landed before or after every one').toBe(true);
  });
});
