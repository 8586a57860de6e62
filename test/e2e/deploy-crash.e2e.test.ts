import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFactories, type TestDatabase } from '../fixtures/databases.js';
import {
  adminTokenOf,
  childEnv,
  cleanup,
  type RunningWarden,
  type Spawned,
  spawnTracked,
  startServer,
  tempDir,
  waitForListening,
  waitForPortClosed,
  warden,
  wardenBin,
  wardenJson,
} from './helpers.js';

/**
 * `kill -9` of the server while it applies a deployment, at varied moments, then a restart on the same data
 * directory and database: the apply either committed whole or not at all. The live pointer is the old or
 * the new digest (never anything else), the request's state, the history, the environment's revision and
 * the audit log agree with it, the audit chain verifies, and a request the crash interrupted still applies.
 */

// dev, with one approval (the requester's own counts there) and no zero-touch apply: every request is
// approved first, then applied by the request this test fires and cuts short.
const environments = JSON.stringify({
  dev: { approvals: 1, allowSelfApproval: true, autoApply: false },
  staging: null,
  production: null,
});
const model = 'crashy';

interface Observed {
  live: string | null;
  revision: number;
  history: { request: string | null; digest: string; action: string }[];
  applies: { details: { request: string; digest: string } }[];
}

describe.each(databaseFactories())(
  'a deployment apply cut by SIGKILL ($name)',
  { timeout: 240_000 },
  (factory) => {
    let db: TestDatabase;
    let server: RunningWarden;
    const versions: { number: number; digest: string }[] = [];

    const start = () =>
      startServer({
        dataDir: db.dataDir,
        env: { WARDEN_ENVIRONMENTS: environments },
        args: db.databaseUrl ? ['--database-url', db.databaseUrl] : [],
      });
    const api = async <T>(
      method: string,
      route: string,
      body?: unknown,
    ): Promise<{ status: number; json: T }> => {
      const res = await fetch(`${server.url}/api/v1${route}`, {
        method,
        headers: {
          authorization: `Bearer ${adminTokenOf(server.url)}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, json: (await res.json()) as T };
    };
    const ok = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
      const res = await api<T>(method, route, body);
      expect(res.status, `${method} ${route}: ${JSON.stringify(res.json)}`).toBeLessThan(300);
      return res.json;
    };

    async function observe(): Promise<Observed> {
      const live = await ok<{
        revision: number;
        models: { model: string; stable: { digest: string } | null }[];
      }>('GET', '/environments/dev/live');
      const history = await ok<{ items: Observed['history'] }>(
        'GET',
        `/environments/dev/models/${model}/history?limit=200`,
      );
      const applies = await ok<{ items: Observed['applies'] }>('GET', '/audit?action=deploy:apply&limit=200');
      return {
        live: live.models.find((m) => m.model === model)?.stable?.digest ?? null,
        revision: live.revision,
        history: history.items,
        applies: applies.items,
      };
    }

    /** An approved request for the version after the live one (three versions, in turn). */
    async function approvedRequest(live: string | null): Promise<{ id: string; digest: string }> {
      const next = versions[(versions.findIndex((v) => v.digest === live) + 1) % versions.length] as {
        number: number;
        digest: string;
      };
      const { request } = await ok<{ request: { id: string; state: string } }>(
        'POST',
        '/environments/dev/requests',
        {
          model,
          version: next.number,
          reason: 'crash test',
        },
      );
      const approved = await ok<{ state: string }>('POST', `/deploy-requests/${request.id}/approve`, {
        reason: 'crash test',
      });
      expect(approved.state).toBe('approved');
      return { id: request.id, digest: next.digest };
    }

    /**
     * Sends `POST …/apply` on a connection opened beforehand (the bytes leave at once), then SIGKILLs the
     * server after `delayUs` microseconds of busy waiting, or once the answer has arrived (`delayUs` null).
     * Returns the answer's status line, if one came, and how long the answer took.
     */
    async function applyThenKill(
      id: string,
      delayUs: number | null,
    ): Promise<{ status: string; tookUs: number }> {
      const { hostname, port } = new URL(server.url);
      const socket = connect(Number(port), hostname);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('error', reject);
      });
      socket.on('error', () => {}); // reset by the kill
      let answer = '';
      let answeredAt = 0n;
      const answered = new Promise<void>((resolve) => {
        socket.on('data', (chunk: Buffer) => {
          answer += chunk.toString('utf8');
          if (answeredAt === 0n && answer.includes('\r\n\r\n')) answeredAt = process.hrtime.bigint();
        });
        socket.once('end', resolve);
        socket.once('close', resolve);
      });
      const sentAt = process.hrtime.bigint();
      socket.write(
        `POST /api/v1/deploy-requests/${id}/apply HTTP/1.1\r\nHost: ${hostname}:${port}\r\n` +
          `Authorization: Bearer ${adminTokenOf(server.url)}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
      );
      if (delayUs === null) await answered;
      else {
        const until = sentAt + BigInt(Math.round(delayUs * 1000));
        while (process.hrtime.bigint() < until) {
          // Busy wait: a timer could not cut this finely.
        }
      }
      const pid = server.proc.child.pid as number;
      process.kill(pid, 'SIGKILL');
      const exit = await server.proc.exited;
      expect(exit.signal).toBe('SIGKILL');
      socket.destroy();
      return {
        status: answer.split('\r\n')[0] ?? '',
        tookUs: answeredAt === 0n ? -1 : Number(answeredAt - sentAt) / 1000,
      };
    }

    /** Checks everything agrees on whether request `id` (for `digest`) was applied, and returns whether. */
    async function expectConsistent(
      label: string,
      before: Observed,
      id: string,
      digest: string,
    ): Promise<boolean> {
      const after = await observe();
      expect([before.live, digest], `${label}: the live pointer is the old or the new digest`).toContain(
        after.live,
      );
      const applied = after.live === digest && before.live !== digest;
      const request = await ok<{ state: string }>('GET', `/deploy-requests/${id}`);
      expect(request.state, `${label}: the request`).toBe(applied ? 'applied' : 'approved');
      const rows = after.history.filter((h) => h.request === id);
      expect(rows, `${label}: its history rows`).toHaveLength(applied ? 1 : 0);
      expect(after.history, `${label}: the history`).toHaveLength(before.history.length + (applied ? 1 : 0));
      if (after.history[0]) expect(after.history[0].digest, `${label}: the newest row`).toBe(after.live);
      expect(after.revision, `${label}: the revision`).toBe(before.revision + (applied ? 1 : 0));
      const entries = after.applies.filter((e) => e.details.request === id);
      expect(entries, `${label}: its deploy:apply entries`).toHaveLength(applied ? 1 : 0);
      if (applied) expect(entries[0]?.details.digest).toBe(digest);
      // The server's check of the whole chain and its checkpoints; `warden audit verify` (which also checks
      // an export locally) runs once at the end, to keep the loop short.
      const verified = await ok<{ ok: boolean }>('GET', '/audit/verify');
      expect(verified, `${label}: ${JSON.stringify(verified)}`).toMatchObject({ ok: true });
      return applied;
    }

    beforeAll(async () => {
      db = await factory.create();
      server = await start();
      const work = tempDir('warden-crash-');
      const created = await warden(['model', 'create', model], { url: server.url });
      expect(created.code, created.stderr).toBe(0);
      for (let i = 0; i < 3; i++) {
        const file = path.join(work, `weights-${i}.bin`);
        writeFileSync(file, `weights, generation ${i}\n`.repeat(100));
        const v = await wardenJson<{ number: number; digest: string }>(
          ['model', 'push', file, '--model', model],
          {
            url: server.url,
          },
        );
        versions.push(v);
      }
    });
    afterAll(async () => {
      try {
        if (server && server.proc.child.exitCode === null && server.proc.child.signalCode === null)
          await server.stop();
      } finally {
        await cleanup();
        await db?.cleanup();
      }
    });

    it('commits the apply whole or not at all, wherever the kill lands; an answered apply survives', async () => {
      // First an apply that was answered: once the client has its 200, the change must survive a kill -9.
      let before = await observe();
      let target = await approvedRequest(before.live);
      const first = await applyThenKill(target.id, null);
      expect(first.status).toBe('HTTP/1.1 200 OK');
      server = await start();
      expect(await expectConsistent('kill after the answer', before, target.id, target.digest)).toBe(true);

      // Then a kill right after sending (almost always before anything committed; not always on a loaded
      // machine, where this process can be descheduled between the two calls), and kills that search for the
      // moment the apply commits, where a half-done change would show: a bisection between a delay that
      // left the old digest live and one that left the new (starting from the answered apply's duration),
      // widened when the apply turns out slower than that.
      const outcomes: string[] = [];
      let lo = 0;
      let hi = first.tookUs;
      for (let i = 0; i < 7; i++) {
        before = await observe();
        target = await approvedRequest(before.live);
        const delayUs = i === 0 ? 0 : (lo + hi) / 2;
        await applyThenKill(target.id, delayUs);
        server = await start();
        const label = `kill ${Math.round(delayUs)} µs after sending (earlier: ${outcomes.join(', ') || 'none'})`;
        const applied = await expectConsistent(label, before, target.id, target.digest);
        outcomes.push(`${Math.round(delayUs)} µs ${applied ? 'new' : 'old'}`);
        if (applied) hi = Math.max(delayUs, hi / 2);
        else {
          lo = delayUs;
          if (hi - lo < first.tookUs / 20) hi = lo + first.tookUs / 2;
          // Not half-applied and not wedged: the same request applies now.
          const again = await api<{ digest: string }>('POST', `/deploy-requests/${target.id}/apply`);
          expect(again.status, `${label}: ${JSON.stringify(again.json)}`).toBe(200);
          const now = await observe();
          expect(now.live).toBe(target.digest);
          expect(now.applies.filter((e) => e.details.request === target.id)).toHaveLength(1);
        }
      }

      const verified = await warden(['audit', 'verify'], { url: server.url });
      expect(verified.code, `${verified.stdout}\n${verified.stderr}`).toBe(0);
      expect(verified.stdout).toMatch(/^Server: ok/m);
      await server.stop();
    });
  },
);

/**
 * How to start a process as PID 1 of a new PID namespace here (as a container's entry point runs), with
 * util-linux `unshare`, as root or in a user namespace; null where neither is allowed (the test is skipped).
 * `--kill-child`: a SIGKILL to unshare reaches the server at once.
 */
const asPid1 = [
  ['--pid', '--fork', '--kill-child'],
  ['--user', '--map-root-user', '--pid', '--fork', '--kill-child'],
].find(
  (flags) =>
    spawnSync('unshare', [...flags, process.execPath, '-e', 'process.exit(process.pid === 1 ? 0 : 1)'], {
      stdio: 'ignore',
      timeout: 10_000,
    }).status === 0,
);

describe.runIf(asPid1)(
  'a server killed as PID 1 of its container, then restarted there',
  { timeout: 60_000 },
  () => {
    afterAll(cleanup);

    it('takes over the lock its earlier self left (same host, same pid) and serves what was committed', async () => {
      const dataDir = tempDir('warden-pid1-');
      const serve = () =>
        spawnTracked(
          'unshare',
          [
            ...(asPid1 as string[]),
            process.execPath,
            wardenBin,
            'serve',
            '--port',
            '0',
            '--data-dir',
            dataDir,
            '--log-level',
            'warn',
          ],
          { env: childEnv() },
        );
      const kill9 = async (proc: Spawned, url: string) => {
        process.kill(proc.child.pid as number, 'SIGKILL');
        await proc.exited;
        await waitForPortClosed(Number(new URL(url).port));
      };

      const first = serve();
      const { url } = await waitForListening(first);
      expect(readFileSync(path.join(dataDir, 'warden.lock'), 'utf8')).toBe(`1 ${hostname()}\n`);
      const env = { WARDEN_TOKEN: readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim() };
      expect((await warden(['model', 'create', 'survivor'], { url, env })).code).toBe(0);
      await kill9(first, url);
      // The lock stays behind, naming pid 1 on this host: alive, because the next server is pid 1 too.
      expect(readFileSync(path.join(dataDir, 'warden.lock'), 'utf8')).toBe(`1 ${hostname()}\n`);

      const second = serve();
      const { url: again } = await waitForListening(second);
      const shown = await warden(['model', 'show', 'survivor'], { url: again, env });
      expect(shown.code, shown.stderr).toBe(0);
      await kill9(second, again);
    });
  },
);
