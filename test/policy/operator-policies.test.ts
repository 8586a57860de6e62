import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCedarPolicyEngine, loadPolicies, loadPolicyEngine } from '../../src/adapters/cedar/index.js';
import { type PolicyProblem, policyFileUnreadable, policyInvalid } from '../../src/modules/policy/index.js';
import { engineWith, policyDir, principal, resourceOfType, shipped } from './policy-fixtures.js';

const frozenRule = `// Frozen models take no new versions.
@id("no-push-to-frozen")
forbid (principal, action == Warden::Action::"registry:version:push", resource)
when { resource.tags.contains("frozen") };
`;

/** The problems a creation threw, or a failure if it did not throw policy_invalid. */
function problemsOf(make: () => unknown): PolicyProblem[] {
  try {
    make();
  } catch (err) {
    if (policyInvalid.is(err)) return (err.details as { problems: PolicyProblem[] }).problems;
    throw err;
  }
  throw new Error('expected policy_invalid');
}

describe('operator policy files', () => {
  it('a valid extra forbid takes effect beside the built-in roles', () => {
    const engine = engineWith([{ id: 'ops/frozen.cedar', text: frozenRule }]);
    const push = (tags: string[]) =>
      engine.authorize({
        principal: principal(['contributor']),
        action: 'registry:version:push',
        resource: resourceOfType('Model', 'vision', tags),
      });
    expect(push(['frozen', 'prod'])).toEqual({ allowed: false, policies: ['no-push-to-frozen'], errors: [] });
    expect(push(['prod'])).toEqual({ allowed: true, policies: ['role-contributor'], errors: [] });
    expect(engine.policies.find((p) => p.id === 'no-push-to-frozen')).toEqual({
      id: 'no-push-to-frozen',
      file: 'ops/frozen.cedar',
      effect: 'forbid',
      line: 2,
      column: 1,
    });
  });

  it("a version's model attributes are readable as resource.model", () => {
    const engine = engineWith([
      {
        id: 'ops/restricted.cedar',
        text: `@id("restricted-artifacts")
forbid (principal, action == Warden::Action::"registry:artifact:read", resource is Warden::Version)
when { resource.model.tags.contains("restricted") && !principal.roles.contains("admin") };`,
      },
    ]);
    const read = (tags: string[]) =>
      engine.authorize({
        principal: principal(['viewer']),
        action: 'registry:artifact:read',
        resource: resourceOfType('Version', 'vision', tags),
      }).allowed;
    expect(read(['restricted'])).toBe(false);
    expect(read([])).toBe(true);
  });

  it('deployers may be limited to the champion alias', () => {
    const engine = engineWith([
      {
        id: 'ops/champion.cedar',
        text: `@id("deployers-move-only-champion")
forbid (principal, action in Warden::Action::"move-alias", resource is Warden::Alias)
unless { resource.name == "champion" || principal.roles.containsAny(["contributor", "admin"]) };`,
      },
    ]);
    const move = (alias: string) =>
      engine.authorize({
        principal: principal(['deployer']),
        action: 'registry:alias:set',
        resource: { type: 'Alias', model: { name: 'iris', owner: 'vision', tags: [] }, alias },
      });
    expect(move('champion').allowed).toBe(true);
    expect(move('staging')).toEqual({
      allowed: false,
      policies: ['deployers-move-only-champion'],
      errors: [],
    });
  });

  it('a syntax error refuses creation, naming the file, line and column', () => {
    const text = `@id("broken")\npermit (principal, action, resource)\nwhen { principal.roles.contains("x") `;
    const [problem, ...rest] = problemsOf(() => engineWith([{ id: 'ops/broken.cedar', text }]));
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ file: 'ops/broken.cedar', line: 3 });
    expect(problem?.message).toMatch(/unexpected end of input/);
  });

  it('an unknown attribute is a schema validation error naming the policy', () => {
    const text = `${frozenRule}\n@id("uses-bogus")\nforbid (principal, action == Warden::Action::"registry:version:push", resource)\n  when { resource.frozen };\n`;
    expect(problemsOf(() => engineWith([{ id: 'ops/bogus.cedar', text }]))).toEqual([
      {
        file: 'ops/bogus.cedar',
        line: 8,
        column: 10,
        policyId: 'uses-bogus',
        message: 'attribute `frozen` on entity type `Warden::Model` not found (did you mean `name`?)',
      },
    ]);
  });

  it('an unknown action and an unknown entity type are refused, every problem listed together', () => {
    const problems = problemsOf(() =>
      engineWith([
        {
          id: 'a.cedar',
          text: `permit (principal, action == Warden::Action::"registry:model:delete", resource);`,
        },
        { id: 'b.cedar', text: `permit (principal is Warden::User, action, resource);` },
      ]),
    );
    expect(problems.map((p) => [p.file, p.policyId, p.message.split(' (')[0]])).toEqual([
      ['a.cedar', 'a.cedar#0', 'unrecognized action `Warden::Action::"registry:model:delete"`'],
      ['b.cedar', 'b.cedar#0', 'unrecognized entity type `Warden::User`'],
    ]);
  });

  it('the error message lists each problem as file:line:column', () => {
    try {
      engineWith([
        { id: 'ops/x.cedar', text: `@id("x")\npermit (principal, action, resource) when { resource.nope };` },
      ]);
      expect.unreachable();
    } catch (err) {
      expect(policyInvalid.is(err)).toBe(true);
      expect((err as Error).message).toContain('  - ops/x.cedar:2:45: policy "x": attribute `nope`');
    }
  });

  it('a duplicate policy id is refused, pointing at both definitions', () => {
    const text = `@id("role-viewer")\npermit (principal, action, resource);`;
    expect(problemsOf(() => engineWith([{ id: 'ops/dup.cedar', text }]))).toEqual([
      {
        file: 'ops/dup.cedar',
        line: 1,
        column: 1,
        policyId: 'role-viewer',
        message: 'duplicate policy id; it is already used at builtin:roles.cedar:6:1',
      },
    ]);
  });

  it('policies without @id are named after their file and position', () => {
    const text = `forbid (principal, action == Warden::Action::"registry:model:update", resource);\n\nforbid (principal, action == Warden::Action::"registry:alias:delete", resource);\n`;
    const engine = engineWith([{ id: 'ops/plain.cedar', text }]);
    expect(engine.policies.filter((p) => p.file === 'ops/plain.cedar').map((p) => [p.id, p.line])).toEqual([
      ['ops/plain.cedar#0', 1],
      ['ops/plain.cedar#1', 3],
    ]);
    const decision = engine.authorize({
      principal: principal(['admin']),
      action: 'registry:alias:delete',
      resource: resourceOfType('Alias'),
    });
    expect(decision).toEqual({ allowed: false, policies: ['ops/plain.cedar#1'], errors: [] });
  });

  it('keeps ids in source order past ten policies', () => {
    const text = Array.from(
      { length: 12 },
      (_, i) =>
        `permit (principal, action == Warden::Action::"identity:whoami", resource) when { principal.teams.contains("t${i}") };`,
    ).join('\n');
    const engine = engineWith([{ id: 'many.cedar', text }]);
    const mine = engine.policies.filter((p) => p.file === 'many.cedar');
    expect(mine.map((p) => p.line)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    const decision = engine.authorize({
      principal: principal([], ['t10']),
      action: 'identity:whoami',
      resource: { type: 'Registry' },
    });
    expect(decision.policies).toEqual(['many.cedar#10']);
  });

  it('a template is refused', () => {
    const problems = problemsOf(() =>
      engineWith([{ id: 't.cedar', text: `permit (principal == ?principal, action, resource);` }]),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]?.file).toBe('t.cedar');
  });

  it('an invalid schema is refused with its location', () => {
    const problems = problemsOf(() =>
      createCedarPolicyEngine({ schemaText: 'namespace Warden { entity ; }', policies: [] }),
    );
    expect(problems[0]).toMatchObject({ file: 'builtin:warden.cedarschema', line: 1 });
  });
});

describe('loading policy files', () => {
  const dir = policyDir({
    '10-frozen.cedar': frozenRule,
    '20-empty.cedar': '// nothing yet\n',
    'notes.txt': 'not a policy',
  });

  it('loads a folder of *.cedar files in name order after the built-ins', async () => {
    const loaded = await loadPolicies({ extraFiles: [dir] });
    expect(loaded.policies.map((p) => p.id)).toEqual([
      'builtin:roles.cedar',
      path.join(dir, '10-frozen.cedar'),
      path.join(dir, '20-empty.cedar'),
    ]);
    expect(loaded.schemaText).toBe(shipped.schemaText);
  });

  it('names operator files as given, relative to cwd, and loads a file named twice once', async () => {
    const loaded = await loadPolicies({ extraFiles: ['10-frozen.cedar', './10-frozen.cedar'], cwd: dir });
    expect(loaded.policies.map((p) => p.id)).toEqual(['builtin:roles.cedar', '10-frozen.cedar']);
  });

  it('refuses a missing file with policy_file_unreadable', async () => {
    await expect(loadPolicies({ extraFiles: ['missing.cedar'], cwd: dir })).rejects.toSatisfy(
      (err: Error) =>
        policyFileUnreadable.is(err) &&
        err.message === 'Cannot read policy file missing.cedar: no such file or folder',
    );
  });

  it('builds the start-up engine from the files (what warden serve does)', async () => {
    const { engine, files } = await loadPolicyEngine({ extraFiles: [path.join(dir, '10-frozen.cedar')] });
    expect(files).toEqual([
      'builtin:roles.cedar',
      path.join(dir, '10-frozen.cedar'),
      'builtin:gates-builtin.cedar',
    ]);
    expect(engine.policies.map((p) => p.id)).toContain('no-push-to-frozen');
  });

  it('refuses to build on an invalid file', async () => {
    const bad = policyDir({ 'bad.cedar': 'permit (principal, action, resource) when { resource.x };' });
    await expect(loadPolicyEngine({ extraFiles: [bad] })).rejects.toSatisfy((err: Error) =>
      policyInvalid.is(err),
    );
  });
});
