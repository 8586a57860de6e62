import { describe, expect, it } from 'vitest';
import type { AuditEvent } from './audit.types.js';
import { createAuditTally } from './audit-tally.js';

const event = (principal: string | null, resource: string): AuditEvent => ({
  action: 'inference:invoke',
  outcome: 'denied',
  principal,
  resource,
  requestId: 'r1',
  clientAddress: null,
  details: { policies: '(no permit)' },
});

function harness(maxKeys?: number) {
  const written: AuditEvent[] = [];
  let t = Date.UTC(2026, 0, 1);
  const tally = createAuditTally({
    record: async (e) => written.push(e),
    now: () => {
      t += 1000;
      return new Date(t);
    },
    ...(maxKeys === undefined ? {} : { maxKeys }),
  });
  const note = (principal: string, resource: string) =>
    tally.note({
      key: `${principal}|${resource}`,
      event: () => event(principal, resource),
      overflow: { key: `*|${resource}`, event: () => event(null, resource) },
    });
  return { tally, note, written };
}

describe('audit tally', () => {
  it('writes one entry per key per interval with its count and time span, and nothing when idle', async () => {
    const { tally, note, written } = harness();
    for (let i = 0; i < 10; i++) note('p1', 'deployment:production/iris');
    note('p1', 'deployment:production/bert');
    expect(tally.pending()).toBe(11);
    expect(written).toEqual([]);
    await tally.flush();
    expect(written).toEqual([
      {
        ...event('p1', 'deployment:production/iris'),
        details: {
          policies: '(no permit)',
          count: 10,
          firstAt: '2026-01-01T00:00:01.000Z',
          lastAt: '2026-01-01T00:00:10.000Z',
        },
      },
      expect.objectContaining({
        resource: 'deployment:production/bert',
        details: expect.objectContaining({ count: 1 }),
      }),
    ]);
    expect(tally.pending()).toBe(0);
    await tally.flush();
    expect(written).toHaveLength(2);
  });

  it('bounds memory: past maxKeys, new keys are counted under their overflow key', async () => {
    const { tally, note, written } = harness(2);
    for (let i = 0; i < 100; i++) note(`p${i}`, 'deployment:production/iris');
    note('p0', 'deployment:production/iris');
    await tally.flush();
    expect(written.map((e) => [e.principal, e.details?.count])).toEqual([
      ['p0', 2],
      ['p1', 1],
      [null, 98],
    ]);
  });
});
