import { describe, expect, it } from 'vitest';
import { newId, requestIdGenerator } from './ids.js';

const uuidV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('request ids', () => {
  it('are UUIDv7-shaped, start with the millisecond, and never repeat within a generator', () => {
    const next = requestIdGenerator();
    const before = Date.now();
    const ids = Array.from({ length: 10_000 }, next);
    const after = Date.now();
    for (const id of ids) expect(id).toMatch(uuidV7);
    expect(new Set(ids).size).toBe(ids.length);
    const ms = Number.parseInt((ids[0] as string).replace('-', '').slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(after);
    expect(newId()).toMatch(uuidV7);
  });

  it('differ between generators', () => {
    expect(requestIdGenerator()()).not.toBe(requestIdGenerator()());
  });
});
