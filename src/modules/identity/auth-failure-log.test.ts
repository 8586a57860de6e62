import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../audit/index.js';
import { createAuthFailureLog } from './auth-failure-log.js';

function harness(maxAddresses?: number) {
  const written: AuditEvent[] = [];
  const counted: string[] = [];
  let t = Date.UTC(2026, 0, 1);
  const log = createAuthFailureLog({
    record: async (e) => written.push(e),
    count: (reason) => counted.push(reason),
    now: () => {
      t += 1000;
      return new Date(t);
    },
    ...(maxAddresses === undefined ? {} : { maxAddresses }),
  });
  return { log, written, counted };
}

describe('auth failure log', () => {
  it('writes one entry per address and reason per interval, with a count and a time span', async () => {
    const { log, written, counted } = harness();
    for (let i = 0; i < 5; i++)
      log.note({ clientAddress: '10.0.0.1', reason: 'unknown_token', requestId: `r${i}` });
    log.note({ clientAddress: '10.0.0.1', reason: 'rate_limited', requestId: 'r5' });
    log.note({ clientAddress: '10.0.0.2', reason: 'unknown_token', requestId: 'r6' });
    expect(counted).toHaveLength(7);
    expect(log.pending()).toBe(7);
    await log.flush();
    expect(written).toEqual([
      {
        action: 'identity:token:authenticate',
        outcome: 'failed',
        principal: null,
        resource: null,
        requestId: 'r0',
        clientAddress: '10.0.0.1',
        details: {
          reason: 'unknown_token',
          count: 5,
          firstAt: '2026-01-01T00:00:01.000Z',
          lastAt: '2026-01-01T00:00:05.000Z',
        },
      },
      expect.objectContaining({ outcome: 'denied', details: expect.objectContaining({ count: 1 }) }),
      expect.objectContaining({ clientAddress: '10.0.0.2' }),
    ]);
    // A new interval starts empty: an idle flush writes nothing.
    await log.flush();
    expect(written).toHaveLength(3);
  });

  it('bounds memory: past maxAddresses, new addresses share one entry per reason', async () => {
    const { log, written } = harness(2);
    for (let i = 0; i < 1000; i++)
      log.note({ clientAddress: `10.0.${i >> 8}.${i & 255}`, reason: 'unknown_token', requestId: `r${i}` });
    await log.flush();
    expect(written.map((e) => [e.clientAddress, e.details?.count])).toEqual([
      ['10.0.0.0', 1],
      ['10.0.0.1', 1],
      [null, 998],
    ]);
  });
});
