import { describe, expect, it } from 'vitest';
import type { Principal } from '../../platform/principal.js';
import { cedarRequest, principalEntity, resourceEntities } from './entities.js';

const alice: Principal = {
  id: 'user:alice',
  kind: 'user',
  name: 'alice',
  roles: ['viewer', 'deployer'],
  teams: ['vision'],
  unscoped: false,
  via: { kind: 'oidc', issuer: 'https://id.example', subject: 'alice', jti: null },
};
const iris = { name: 'iris', owner: 'vision', tags: ['prod'] };
const modelUid = { type: 'Warden::Model', id: 'iris' };
const registry = { type: 'Warden::Registry', id: 'warden' };

describe('principalEntity', () => {
  it('carries kind, roles and teams, and nothing about how the caller authenticated', () => {
    expect(principalEntity(alice)).toEqual({
      uid: { type: 'Warden::Principal', id: 'user:alice' },
      attrs: { kind: 'user', roles: ['viewer', 'deployer'], teams: ['vision'], unscoped: false },
      parents: [],
    });
  });
});

describe('resourceEntities', () => {
  it('names the one registry, which needs no entity of its own', () => {
    expect(resourceEntities({ type: 'Registry' })).toEqual({ uid: registry, entities: [] });
  });

  it('makes a model a child of the registry', () => {
    expect(resourceEntities({ type: 'Model', model: iris })).toEqual({
      uid: modelUid,
      entities: [
        { uid: modelUid, attrs: { name: 'iris', owner: 'vision', tags: ['prod'] }, parents: [registry] },
      ],
    });
  });

  it("gives a version its model's owner and attributes, and the model as parent; digests lose sha256:", () => {
    const out = resourceEntities({
      type: 'Version',
      model: iris,
      version: { number: 3, format: 'onnx', digest: `sha256:${'ab'.repeat(32)}` },
    });
    expect(out).toEqual({
      uid: { type: 'Warden::Version', id: 'iris@3' },
      entities: [
        {
          uid: { type: 'Warden::Version', id: 'iris@3' },
          attrs: {
            model: { name: 'iris', owner: 'vision', tags: ['prod'] },
            owner: 'vision',
            number: 3,
            format: 'onnx',
            digest: 'ab'.repeat(32),
          },
          parents: [modelUid],
        },
      ],
    });
  });

  it('gives an alias its name and its model', () => {
    expect(resourceEntities({ type: 'Alias', model: iris, alias: 'champion' }).entities).toEqual([
      {
        uid: { type: 'Warden::Alias', id: 'iris@champion' },
        attrs: {
          model: { name: 'iris', owner: 'vision', tags: ['prod'] },
          owner: 'vision',
          name: 'champion',
        },
        parents: [modelUid],
      },
    ]);
  });

  it('points a token at the principal it authenticates', () => {
    expect(resourceEntities({ type: 'Token', id: 'tok_9', principal: 'service:ci' }).entities).toEqual([
      {
        uid: { type: 'Warden::Token', id: 'tok_9' },
        attrs: { principal: { __entity: { type: 'Warden::Principal', id: 'service:ci' } } },
        parents: [registry],
      },
    ]);
  });

  it('has one audit log in the registry', () => {
    expect(resourceEntities({ type: 'AuditLog' }).entities).toEqual([
      { uid: { type: 'Warden::AuditLog', id: 'audit' }, attrs: {}, parents: [registry] },
    ]);
  });

  it('copies the caller’s arrays, so later changes to the records cannot reach a built request', () => {
    const tags = ['prod'];
    const out = resourceEntities({ type: 'Model', model: { ...iris, tags } });
    tags.push('frozen');
    expect(out.entities[0]?.attrs.tags).toEqual(['prod']);
  });
});

describe('cedarRequest', () => {
  it('puts the principal first and names the action in the Warden namespace', () => {
    const request = cedarRequest({
      principal: alice,
      action: 'registry:model:read',
      resource: { type: 'Model', model: iris },
    });
    expect(request.principal).toEqual({ type: 'Warden::Principal', id: 'user:alice' });
    expect(request.action).toEqual({ type: 'Warden::Action', id: 'registry:model:read' });
    expect(request.resource).toEqual(modelUid);
    expect(request.entities.map((e) => e.uid.type)).toEqual(['Warden::Principal', 'Warden::Model']);
  });
});
