import { describe, expect, it } from 'vitest';
import { policyExplain, policyValidate } from '../../src/cli/commands/policy.js';
import { policyInvalid } from '../../src/modules/policy/index.js';
import { bufferedContext, policyDir } from './policy-fixtures.js';

const dir = policyDir({
  'frozen.cedar': `@id("no-push-to-frozen")
forbid (principal, action == Warden::Action::"registry:version:push", resource)
when { resource.tags.contains("frozen") };

@id("no-update-frozen")
forbid (principal, action == Warden::Action::"registry:model:update", resource)
when { resource.tags.contains("frozen") };
`,
  'bad.cedar': `@id("typo")
permit (principal, action == Warden::Action::"registry:model:read", resource)
when { resource.ownr == "vision" };
`,
  'impossible.cedar': `@id("never")
permit (principal, action == Warden::Action::"registry:model:list", resource is Warden::Model);
`,
  'homoglyph.cedar': `@id("cyrillic-i")
forbid (principal, action, resource)
when { principal.teams.contains("v\u0456sion") };
`,
});

describe('warden policy validate', () => {
  it('prints ok with the count of policies and files given', async () => {
    const ctx = bufferedContext(dir);
    await policyValidate(ctx, ['frozen.cedar']);
    expect(ctx.out()).toBe('ok: 2 policies in 1 file\n');
  });

  it('throws policy_invalid naming the file, position, policy and problem', async () => {
    const ctx = bufferedContext(dir);
    const err = await policyValidate(ctx, ['frozen.cedar', 'bad.cedar']).catch((e: unknown) => e);
    expect(policyInvalid.is(err)).toBe(true);
    expect((err as Error).message).toBe(
      'Authorization policies are invalid:\n' +
        '  - bad.cedar:3:8: policy "typo": attribute `ownr` on entity type `Warden::Model` not found (did you mean `owner`?)',
    );
    expect(ctx.out()).toBe('');
  });

  it('with --json prints the problems, then fails the same way', async () => {
    const ctx = bufferedContext(dir);
    const err = await policyValidate(ctx, ['bad.cedar'], { json: true }).catch((e: unknown) => e);
    expect(policyInvalid.is(err)).toBe(true);
    expect(JSON.parse(ctx.out())).toEqual({
      ok: false,
      problems: [
        {
          file: 'bad.cedar',
          line: 3,
          column: 8,
          policyId: 'typo',
          message: 'attribute `ownr` on entity type `Warden::Model` not found (did you mean `owner`?)',
        },
      ],
    });
  });

  it('refuses a policy that can never apply (a forbid like that would protect nothing)', async () => {
    const ctx = bufferedContext(dir);
    const err = await policyValidate(ctx, ['impossible.cedar']).catch((e: unknown) => e);
    expect(policyInvalid.is(err)).toBe(true);
    expect((err as Error).message).toContain(
      '  - impossible.cedar:1:1: policy "never": policy is impossible: the policy expression evaluates to false for all valid requests',
    );
  });

  it("prints Cedar's other warnings on stderr and still passes", async () => {
    const ctx = bufferedContext(dir);
    await policyValidate(ctx, ['homoglyph.cedar']);
    expect(ctx.out()).toBe('ok: 1 policy in 1 file\n');
    expect(ctx.err()).toBe(
      'warning: homoglyph.cedar:3:33: policy "cyrillic-i": string `"v\u0456sion"` contains mixed scripts\n',
    );
  });
});

describe('warden policy explain', () => {
  const base = {
    principal: 'service:ci-bot',
    role: ['contributor'],
    team: ['vision'],
    action: 'registry:version:push',
    resource: 'model:iris',
  };

  it('prints ALLOW and the permit that decided', async () => {
    const ctx = bufferedContext(dir);
    await policyExplain(ctx, { ...base, owner: 'vision' });
    expect(ctx.out()).toBe(
      'ALLOW  service:ci-bot  registry:version:push  model:iris\n' +
        '  determined by: role-contributor (permit, builtin:roles.cedar:11:1)\n',
    );
  });

  it('prints DENY and the forbid that decided, with operator policies', async () => {
    const ctx = bufferedContext(dir);
    await policyExplain(ctx, { ...base, owner: 'vision', tag: ['prod', 'frozen'], policy: ['frozen.cedar'] });
    expect(ctx.out()).toBe(
      'DENY  service:ci-bot  registry:version:push  model:iris\n' +
        '  determined by: no-push-to-frozen (forbid, frozen.cedar:1:1)\n',
    );
  });

  it('says when nothing permits a request', async () => {
    const ctx = bufferedContext(dir);
    await policyExplain(ctx, { ...base, role: ['viewer'], owner: 'vision' });
    expect(ctx.out()).toContain('DENY  service:ci-bot');
    expect(ctx.out()).toContain('  determined by: no policy permits it (default deny)\n');
  });

  it('explains team scope on a version of another team', async () => {
    const ctx = bufferedContext(dir);
    await policyExplain(ctx, {
      ...base,
      action: 'registry:artifact:read',
      resource: 'version:iris@3',
      owner: 'nlp',
      json: true,
    });
    const out = JSON.parse(ctx.out());
    expect(out).toMatchObject({
      decision: 'deny',
      allowed: false,
      policies: ['team-scope'],
      errors: [],
      determinedBy: [{ id: 'team-scope', effect: 'forbid', file: 'builtin:roles.cedar' }],
      request: {
        principal: { id: 'service:ci-bot', kind: 'service', roles: ['contributor'], teams: ['vision'] },
        action: 'registry:artifact:read',
        resource: {
          type: 'Version',
          model: { name: 'iris', owner: 'nlp', tags: [] },
          version: { number: 3 },
        },
      },
    });
  });

  it('reports an unknown action as a denial with its reason', async () => {
    const ctx = bufferedContext(dir);
    await policyExplain(ctx, { ...base, action: 'registry:model:delete', owner: 'vision' });
    expect(ctx.out()).toContain('  error: unknown action "registry:model:delete"\n');
  });

  it.each([
    [{ principal: 'ci-bot' }, '--principal'],
    [{ role: ['owner'] }, '--role'],
    [{ resource: 'model:iris' }, '--owner'],
    [{ resource: 'version:iris', owner: 'vision' }, '--resource'],
    [{ resource: 'dataset:x', owner: 'vision' }, '--resource'],
  ])('refuses bad flags with invalid_option: %o', async (override, option) => {
    const ctx = bufferedContext(dir);
    const err = await policyExplain(ctx, { ...base, ...override }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'invalid_option', kind: 'invalid' });
    expect((err as Error).message.startsWith(`${option}:`)).toBe(true);
  });

  it('accepts registry, audit, alias and token resources', async () => {
    for (const [resource, action] of [
      ['registry', 'registry:model:list'],
      ['audit', 'audit:log:read'],
      ['alias:iris@champion', 'registry:alias:set'],
      ['token:tok_1', 'identity:token:revoke'],
    ] as const) {
      const ctx = bufferedContext(dir);
      await policyExplain(ctx, {
        principal: 'user:root',
        role: ['admin'],
        action,
        resource,
        owner: 'vision',
      });
      expect(ctx.out()).toMatch(/^ALLOW {2}user:root/);
    }
  });
});
