import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { checkParseEntities, schemaToJson } from '@cedar-policy/cedar-wasm/nodejs';
import { describe, expect, it } from 'vitest';
import {
  actionGroups,
  cedarRequest,
  gateAction,
  type PolicyAction,
  policyActions,
  resourceTypes,
} from '../../src/modules/policy/index.js';
import { principal, resourceOfType, shipped } from './policy-fixtures.js';

const repoRoot = path.resolve(new URL('../..', import.meta.url).pathname);
const schema = schemaToJson(shipped.schemaText);
if (schema.type !== 'success') throw new Error('the shipped schema does not parse');
const declared = schema.json.Warden?.actions ?? {};

describe('the action catalogue', () => {
  it('is exactly what the schema declares (groups aside), with the same resource types', () => {
    const fromSchema = Object.fromEntries(
      Object.entries(declared)
        .filter(([name]) => !(actionGroups as readonly string[]).includes(name) && name !== gateAction)
        .map(([name, a]) => [name, a.appliesTo?.resourceTypes]),
    );
    const fromCatalogue = Object.fromEntries(
      Object.entries(policyActions).map(([name, a]) => [name, [a.resource]]),
    );
    expect(fromSchema).toEqual(fromCatalogue);
    for (const group of actionGroups) expect(declared[group]?.appliesTo?.resourceTypes ?? []).toEqual([]);
    // The gate action is in no group, so no role grant can ever reach it.
    expect(declared[gateAction]?.appliesTo?.resourceTypes).toEqual(['Candidate']);
    expect(declared[gateAction]?.memberOf ?? []).toEqual([]);
  });

  it('covers every action a route declares', () => {
    const dir = path.join(repoRoot, 'src/http/routes');
    const routeActions = readdirSync(dir)
      .filter((f) => f.endsWith('.routes.ts'))
      .flatMap((f) =>
        [...readFileSync(path.join(dir, f), 'utf8').matchAll(/action: '([^']+)'/g)].map((m) => m[1]),
      )
      .filter((a) => a !== 'public');
    expect(routeActions.length).toBeGreaterThan(10);
    for (const action of routeActions) expect(Object.keys(policyActions)).toContain(action);
  });

  it('is documented: docs/policy.md describes every action', () => {
    const doc = readFileSync(path.join(repoRoot, 'docs/policy.md'), 'utf8');
    for (const action of Object.keys(policyActions)) expect(doc).toContain(`| \`${action}\` |`);
  });
});

describe('the entity builders', () => {
  // The engine does not hand Cedar the schema per decision (it is a third of the cost), so the builders'
  // output is checked against the schema here, for every resource type.
  it.each(resourceTypes)('build %s entities that conform to the schema', (type) => {
    const action = (Object.keys(policyActions) as PolicyAction[]).find(
      (a) => policyActions[a].resource === type,
    );
    const request = cedarRequest({
      principal: principal(['viewer'], ['vision']),
      action: action as string,
      resource: resourceOfType(type, 'vision', ['prod']),
    });
    expect(checkParseEntities({ entities: request.entities, schema: shipped.schemaText })).toEqual({
      type: 'success',
    });
  });
});
