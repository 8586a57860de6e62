import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAdminTokenFileWriter } from '../../src/adapters/local/admin-token-file.js';
import { createMemoryFailureLimiter } from '../../src/adapters/rate-limit/flexible-failure-limiter.js';
import { login } from '../../src/cli/commands/login.js';
import { tokenCreate, tokenList, tokenRevoke } from '../../src/cli/commands/token.js';
import type { CliContext } from '../../src/cli/context.js';
import { registerAuthentication, requirePrincipal } from '../../src/http/plugins/authenticate.js';
import { registerErrorHandler } from '../../src/http/plugins/error-handler.js';
import { tokenRoutes } from '../../src/http/routes/tokens.routes.js';
import { Problem } from '../../src/http/schemas/common.schemas.js';
import { createAuthenticator, ensureBootstrapAdmin } from '../../src/modules/identity/index.js';
import { AppError } from '../../src/platform/errors.js';
import { newId } from '../../src/platform/ids.js';
import { type IdentityHarness, identityHarness } from './identity-harness.js';

describe('token API and CLI', () => {
  let h: IdentityHarness;
  let app: FastifyInstance;
  let adminToken: string;

  beforeEach(async () => {
    h = await identityHarness();
    const boot = await ensureBootstrapAdmin({
      uow: h.uow,
      clock: h.clock,
      writeAdminToken: createAdminTokenFileWriter(h.t.dataDir),
      recordEvent: async () => undefined,
    });
    if (!boot.created) throw new Error('expected a bootstrap');
    adminToken = boot.token;
    h.clock.advance(1000);
    app = Fastify({ genReqId: () => newId() });
    app.setValidatorCompiler(TypeBoxValidatorCompiler);
    registerErrorHandler(app, { bodyLimit: 1024 * 1024 });
    app.addSchema(Problem);
    registerAuthentication(app, {
      authenticate: createAuthenticator({ tokens: h.service, jwt: null }),
      limiter: createMemoryFailureLimiter({ limit: 10_000, windowSeconds: 60, blockSeconds: 60 }),
      onFailure: () => undefined,
    });
    await app.register(
      async (api) => {
        await api.register(tokenRoutes, {
          identity: h.service,
          principalOf: requirePrincipal,
          contextOf: (request) => ({
            principal: requirePrincipal(request),
            requestId: String(request.id),
            clientAddress: request.ip,
          }),
        });
      },
      { prefix: '/api/v1' },
    );
    await app.ready();
  });
  afterEach(async () => {
    await app.close();
    await h.close();
  });

  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, token: string, payload?: unknown) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  describe('HTTP', () => {
    it('issues a token (201, no-store, secret in this answer only) that then authenticates', async () => {
      const res = await call('POST', '/tokens', adminToken, {
        name: 'ci-bot',
        roles: ['contributor'],
        teams: ['vision'],
        expires: '30d',
      });
      expect(res.statusCode).toBe(201);
      expect(res.headers['cache-control']).toBe('no-store');
      const issued = res.json();
      expect(Object.keys(issued).sort()).toEqual(
        ['createdAt', 'expiresAt', 'id', 'name', 'principal', 'roles', 'teams', 'token'].sort(),
      );
      const who = await call('GET', '/whoami', issued.token);
      expect(who.json()).toEqual({
        id: `token:${issued.id}`,
        kind: 'service',
        name: 'ci-bot',
        roles: ['contributor'],
        teams: ['vision'],
        unscoped: false,
        via: { kind: 'token', tokenId: issued.id },
      });
    });

    it('lists metadata only: no secret, no hash', async () => {
      const issued = (
        await call('POST', '/tokens', adminToken, { name: 'ci-bot', roles: ['viewer'] })
      ).json();
      const res = await call('GET', '/tokens', adminToken);
      expect(res.statusCode).toBe(200);
      const secret = issued.token.slice(17);
      const digest = createHash('sha256').update(secret).digest('hex');
      expect(res.body).not.toContain(secret);
      expect(res.body).not.toContain(digest);
      expect(res.body).not.toMatch(/hash|secret/i);
      expect(res.json().map((t: { name: string }) => t.name)).toEqual(['admin', 'ci-bot']);
    });

    it('revokes a token (204); it is refused from then on; unknown ids are 404', async () => {
      const issued = (
        await call('POST', '/tokens', adminToken, { name: 'ci-bot', roles: ['viewer'] })
      ).json();
      expect((await call('DELETE', `/tokens/${issued.id}`, adminToken)).statusCode).toBe(204);
      expect((await call('GET', '/whoami', issued.token)).statusCode).toBe(401);
      expect((await call('DELETE', `/tokens/${issued.id}`, adminToken)).statusCode).toBe(204);
      const unknown = await call('DELETE', '/tokens/ZZZZZZZZZZZZ', adminToken);
      expect([unknown.statusCode, unknown.json().code]).toEqual([404, 'token_not_found']);
      expect((await call('DELETE', '/tokens/..%2F..', adminToken)).statusCode).toBe(400);
    });

    it('leaves the decision to the policy: a non-admin cannot issue or list', async () => {
      const viewer = (
        await call('POST', '/tokens', adminToken, { name: 'reader', roles: ['viewer'] })
      ).json();
      expect((await call('POST', '/tokens', viewer.token, { name: 'x', roles: ['admin'] })).statusCode).toBe(
        403,
      );
      expect((await call('GET', '/tokens', viewer.token)).statusCode).toBe(403);
      expect((await call('GET', '/whoami', viewer.token)).statusCode).toBe(200);
    });

    it.each([
      [{ name: 'ci-bot', roles: ['root'] }, 'invalid_role'],
      [{ name: 'ci-bot', roles: [] }, 'invalid_request'],
      [{ name: 'ci-bot', roles: ['viewer'], admin: true }, 'invalid_request'],
      [{ name: 'ci-bot', roles: ['viewer'], expires: '1000d' }, 'invalid_expiry'],
      [{ name: 'Bad Name', roles: ['viewer'] }, 'invalid_account_name'],
    ])('refuses %j with 400 %s', async (body, code) => {
      const res = await call('POST', '/tokens', adminToken, body);
      expect([res.statusCode, res.json().code]).toEqual([400, code]);
    });
  });

  describe('CLI', () => {
    let url: string;
    let home: string;
    beforeEach(async () => {
      url = await app.listen({ host: '127.0.0.1', port: 0 });
      home = mkdtempSync(path.join(tmpdir(), 'warden-home-'));
    });
    afterEach(() => {
      rmSync(home, { recursive: true, force: true });
    });

    const run = async (
      env: Record<string, string | undefined>,
      command: (ctx: CliContext) => Promise<void>,
    ): Promise<{ stdout: string; stderr: string; error?: AppError }> => {
      let stdout = '';
      let stderr = '';
      const sink = (append: (s: string) => void) =>
        new Writable({
          write(chunk, _enc, done) {
            append(String(chunk));
            done();
          },
        });
      const ctx: CliContext = {
        cwd: home,
        env,
        io: { stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)) },
      };
      try {
        await command(ctx);
        return { stdout, stderr };
      } catch (err) {
        if (err instanceof AppError) return { stdout, stderr, error: err };
        throw err;
      }
    };
    const asAdmin = () => ({ WARDEN_URL: url, WARDEN_TOKEN: adminToken });

    it('token create --json prints {"token": …} with the grant', async () => {
      const out = await run(asAdmin(), (ctx) =>
        tokenCreate(ctx, {
          name: 'ci-bot',
          role: ['contributor'],
          team: ['vision'],
          expires: '30d',
          json: true,
        }),
      );
      const printed = JSON.parse(out.stdout);
      expect(printed).toMatchObject({ name: 'ci-bot', principal: 'service:ci-bot', roles: ['contributor'] });
      expect(printed.token).toMatch(/^wdn_/);
    });

    it('token create prints the token alone on stdout and the warning on stderr', async () => {
      const out = await run(asAdmin(), (ctx) => tokenCreate(ctx, { name: 'ci-bot', role: ['viewer'] }));
      expect(out.stdout).toMatch(/^wdn_[0-9A-Za-z]{12}_[0-9A-Za-z]{43}\n$/);
      expect(out.stderr).toContain('shown only this once');
      expect(out.stderr).not.toContain(out.stdout.trim());
    });

    it('token list shows a table; token revoke revokes', async () => {
      const created = JSON.parse(
        (await run(asAdmin(), (ctx) => tokenCreate(ctx, { name: 'ci-bot', role: ['viewer'], json: true })))
          .stdout,
      );
      const list = await run(asAdmin(), (ctx) => tokenList(ctx, {}));
      expect(list.stdout.split('\n')[0]).toMatch(
        /^ID\s+NAME\s+PRINCIPAL\s+ROLES\s+TEAMS\s+CREATED\s+EXPIRES\s+LAST USED\s+REVOKED$/,
      );
      expect(list.stdout).toContain(created.id);
      expect(list.stdout).not.toContain(created.token);
      expect((await run(asAdmin(), (ctx) => tokenRevoke(ctx, created.id, {}))).stdout).toBe(
        `Revoked token ${created.id}\n`,
      );
      const after = await run({ WARDEN_URL: url, WARDEN_TOKEN: created.token }, (ctx) => tokenList(ctx, {}));
      expect(after.error?.code).toBe('unauthenticated');
      expect(after.error?.message).toContain('warden login');
    });

    it('login checks the token, saves it 0600 without printing it, and later commands use it', async () => {
      const out = await run({ HOME: home }, (ctx) => login(ctx, { url, token: adminToken }));
      expect(out.error).toBeUndefined();
      expect(out.stdout).toMatch(/ as admin \(token:[0-9A-Za-z]{12}; roles: admin\)/);
      expect(out.stdout + out.stderr).not.toContain(adminToken);
      const file = path.join(home, '.config', 'warden', 'credentials.json');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ url, token: adminToken });

      const list = await run({ HOME: home }, (ctx) => tokenList(ctx, {}));
      expect(list.error).toBeUndefined();
      expect(list.stdout).toContain('service:admin');
    });

    it('login refuses a bad token and saves nothing', async () => {
      const out = await run({ HOME: home }, (ctx) =>
        login(ctx, { url, token: `${adminToken.slice(0, -1)}${adminToken.endsWith('0') ? '1' : '0'}` }),
      );
      expect(out.error?.code).toBe('unauthenticated');
      expect(existsSync(path.join(home, '.config', 'warden', 'credentials.json'))).toBe(false);
    });
  });
});
