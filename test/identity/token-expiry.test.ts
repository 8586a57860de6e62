import { describe, expect, it } from 'vitest';
import { resolveTokenExpiry } from '../../src/modules/identity/token-expiry.js';
import { AppError } from '../../src/platform/errors.js';

const now = new Date('2026-01-10T12:00:00.000Z');
const at = (value?: string) => resolveTokenExpiry(value, now).toISOString();

describe('token expiry', () => {
  it('defaults to 90 days', () => {
    expect(at()).toBe('2026-04-10T12:00:00.000Z');
  });

  it('reads durations in minutes, hours and days', () => {
    expect(at('90m')).toBe('2026-01-10T13:30:00.000Z');
    expect(at('12h')).toBe('2026-01-11T00:00:00.000Z');
    expect(at('30d')).toBe('2026-02-09T12:00:00.000Z');
  });

  it('reads a date as the end of that day (UTC) and a date-time with its zone', () => {
    expect(at('2026-12-31')).toBe('2026-12-31T23:59:59.999Z');
    expect(at('2026-06-01T18:00:00Z')).toBe('2026-06-01T18:00:00.000Z');
    expect(at('2026-06-01T18:00+02:00')).toBe('2026-06-01T16:00:00.000Z');
  });

  it.each([
    ['2026-01-10T11:00:00Z', 'is not in the future'],
    ['2025-12-31', 'is not in the future'],
    ['401d', 'is more than 400 days away'],
    ['2027-12-31', 'is more than 400 days away'],
    ['0d', 'is not understood'],
    ['-5d', 'is not understood'],
    ['30 d', 'is not understood'],
    ['30w', 'is not understood'],
    ['never', 'is not understood'],
    ['2026-02-30', 'is not understood'],
    ['2026-02-30T10:00:00Z', 'is not understood'],
    ['2026-06-01T18:00:00', 'is not understood'],
    ['tomorrow', 'is not understood'],
  ])('refuses %s', (value, reason) => {
    let caught: unknown;
    try {
      resolveTokenExpiry(value, now);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('invalid_expiry');
    expect((caught as AppError).message).toContain(reason);
  });

  it('accepts exactly 400 days', () => {
    expect(at('400d')).toBe('2027-02-14T12:00:00.000Z');
  });
});
