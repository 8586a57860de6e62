import { describe, expect, it } from 'vitest';
import { createEvaluationBacklog } from '../../src/modules/monitor/alerts/evaluation-backlog.js';

function recordingLogger() {
  const lines: { level: string; msg: string; fields: Record<string, unknown> }[] = [];
  return {
    lines,
    warn: (fields: Record<string, unknown>, msg: string) => lines.push({ level: 'warn', msg, fields }),
    error: (fields: Record<string, unknown>, msg: string) => lines.push({ level: 'error', msg, fields }),
  };
}

describe('evaluation backlog', () => {
  it('keeps evaluations through an outage, runs them in order after it, and logs the outage twice', async () => {
    const logger = recordingLogger();
    const backlog = createEvaluationBacklog(logger as never);
    let up = false;
    const ran: number[] = [];
    const evaluation = (n: number) => async () => {
      if (!up) throw new Error('store down');
      ran.push(n);
    };
    for (let n = 1; n <= 4; n++) await backlog.run([evaluation(n)]);
    expect(backlog.waiting).toBe(4);
    expect(ran).toEqual([]);
    up = true;
    await backlog.run([evaluation(5)]);
    expect(ran).toEqual([1, 2, 3, 4, 5]);
    expect(backlog.waiting).toBe(0);
    expect(logger.lines.map((l) => l.level)).toEqual(['error', 'warn']);
    expect(logger.lines[1]?.fields).toEqual({ lost: 0 });
  });

  it('lets go of an evaluation that fails on its own readings instead of holding the later ones back', async () => {
    const logger = recordingLogger();
    const backlog = createEvaluationBacklog(logger as never);
    const ran: string[] = [];
    await backlog.run([
      async () => {
        throw new Error('cannot evaluate this window');
      },
    ]);
    expect(backlog.waiting).toBe(1);
    await backlog.run([async () => void ran.push('next'), async () => void ran.push('after')]);
    expect(ran).toEqual(['next', 'after']);
    expect(backlog.waiting).toBe(0);
    expect(logger.lines.some((l) => l.msg.includes('let go'))).toBe(true);
    expect(logger.lines.at(-1)?.fields).toEqual({ lost: 1 });
  });

  it('keeps at most its bound, letting the oldest go and counting them', async () => {
    const logger = recordingLogger();
    const backlog = createEvaluationBacklog(logger as never, 3);
    let up = false;
    const ran: number[] = [];
    for (let n = 1; n <= 5; n++)
      await backlog.run([
        async () => {
          if (!up) throw new Error('down');
          ran.push(n);
        },
      ]);
    expect(backlog.waiting).toBe(3);
    up = true;
    await backlog.run([]);
    expect(ran).toEqual([3, 4, 5]);
    expect(logger.lines.at(-1)?.fields).toEqual({ lost: 2 });
  });
});
