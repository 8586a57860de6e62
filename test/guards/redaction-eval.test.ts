import { describe, expect, it } from 'vitest';
import { redactText } from '../../src/modules/guards/redaction/index.js';
import { formatScores, loadPiiSet, type PiiScore, scoreRedactor, seedRedact } from './pii-eval.js';

// Measured on the labelled development set (test/fixtures/guard-data/pii/README.md): leak rate per type and
// over-redaction of look-alikes. The floors sit a little under what this commit measures (docs/guards.md), so
// a change that loses a kind of PII fails here; the held-out set is measured elsewhere.
const LEAK_CEILINGS: Record<string, number> = {
  EMAIL: 0,
  PHONE: 0.03,
  CREDIT_CARD: 0.03,
  IBAN: 0,
  US_SSN: 0,
  IP_ADDRESS: 0.03,
  API_KEY: 0,
  PERSON: 0.03,
};
const OVER_REDACTION_CEILING = 0.01;

describe('redaction on the labelled PII set', () => {
  const records = loadPiiSet();
  const warden: PiiScore = scoreRedactor(records, (text) => redactText(text).text);
  const seed: PiiScore = scoreRedactor(records, seedRedact);

  it('prints the table', () => {
    console.log(`\n${formatScores({ warden, 'seed regex': seed })}\n`);
    expect(records).toHaveLength(526);
  });

  it.each(Object.entries(LEAK_CEILINGS))('%s leaks at most its ceiling', (type, ceiling) => {
    expect(warden.byType[type]?.spans).toBeGreaterThan(0);
    expect(warden.byType[type]?.leakRate).toBeLessThanOrEqual(ceiling);
  });

  it('alters (almost) no look-alike record', () => {
    expect(warden.lookAlikes).toBeGreaterThan(150);
    expect(warden.overRedaction).toBeLessThanOrEqual(OVER_REDACTION_CEILING);
  });

  it('leaks far less than the seed design over the types both name', () => {
    const leaks = (s: PiiScore) =>
      Object.keys(LEAK_CEILINGS).reduce((n, t) => n + (s.byType[t]?.leaked ?? 0), 0);
    expect(leaks(seed)).toBeGreaterThan(10 * leaks(warden));
  });
});
