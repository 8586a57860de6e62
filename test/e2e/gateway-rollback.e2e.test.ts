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

describe('the gateway during a rollback, over real sockets against warden serve', { timeout: 120_000 }, () => {
  let server: RunningWarden;
  let token = '';
  const digests = { v1: '', v2: '' };
  const agent = new http.Agent({ keepAlive: true, maxSockets: burst });

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
    await ok(['keygen', '--out', path.join(work, 'release')]);
    await ok(['signer', 'add', 'release', '--key', path.join(work, 'release.pub'), '--env', 'production']);
    await ok(['model', 'create', 'iris', '--owner', 'ml-team']);
    // v2: the same graph with a release note beside it, so a different root digest.
    const v2Dir = path.join(work, 'iris-v2');
    cpSync(irisModel, v2Dir, { recursive: true });
    writeFileSync(path.join(v2Dir, 'NOTES.md'), 'v2: the same weights, re-released\n');
    for (const [v, dir] of [
      ['v1', irisModel],
      ['v2', v2Dir],
    ] as const) {
      const signature = path.join(work, `${v}.sig`);
      await ok(['sign', dir, '--key', path.join(work, 'release.pem'), '--signature', signature]);
      const pushed = await wardenJson<{ number: number; digest: string }>(
        ['model', 'push', dir, '--model', 'iris', '--signature', signature],
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
    // The gateway follows the live state: wait (bounded) until v2 answers.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const answer = await infer(agent, server.url, token, performance.now());
      if (answer.status === 200 && answer.digest === digests.v2) break;
      if (Date.now() > deadline) throw new Error(`v2 is not served: ${JSON.stringify(answer)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
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
    const started = performance.now();
    const answers = Array.from({ length: burst }, () => infer(agent, server.url, token, started));
    // Roll back once the burst is answering, so the change lands while most of it is still in flight.
    let answered = 0;
    for (const a of answers) void a.then(() => answered++);
    while (answered < burst / 10) await new Promise((r) => setTimeout(r, 1));
    const rollbackAt = performance.now() - started;
    const rollback = await fetch(`${server.url}/api/v1/environments/production/models/iris/rollback`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminTokenOf(server.url)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'rollback under load' }),
    });
    expect(rollback.status, await rollback.clone().text()).toBe(200);
    expect(((await rollback.json()) as { digest?: string }).digest).toBe(digests.v1);
    const rolledBack = performance.now();

    // After the rollback: v1 answers within a second, and keeps answering.
    let firstV1 = Number.POSITIVE_INFINITY;
    const after: Answer[] = [];
    while (performance.now() - rolledBack < 1500) {
      const a = await infer(agent, server.url, token, rolledBack);
      after.push(a);
      if (a.digest === digests.v1 && firstV1 === Number.POSITIVE_INFINITY) firstV1 = a.at;
      if (firstV1 !== Number.POSITIVE_INFINITY && after.filter((x) => x.at > firstV1).length >= 20) break;
    }

    const all = await Promise.all(answers);
    const failed = all.filter((a) => a.status !== 200 || (a.digest !== digests.v1 && a.digest !== digests.v2));
    expect(failed, JSON.stringify(failed.slice(0, 5))).toEqual([]);
    expect(all.every((a) => a.label === 0)).toBe(true);
    const v1 = all.filter((a) => a.digest === digests.v1).length;
    const stillRunning = all.filter((a) => a.at > rollbackAt).length;
    // The rollback really happened while the burst was in flight.
    expect(stillRunning, `${v1} of ${burst} answered by v1`).toBeGreaterThan(0);
    expect(all.filter((a) => a.digest === digests.v2).length).toBeGreaterThan(0);

    expect(after.every((a) => a.status === 200)).toBe(true);
    expect(firstV1, JSON.stringify(after.slice(0, 5))).toBeLessThan(1000);
    // Once v1 answers, v2 never answers again.
    expect(after.filter((a) => a.at > firstV1).every((a) => a.digest === digests.v1)).toBe(true);
  });
});
