import { describe, expect, it } from 'vitest';
import { findPii, REDACTION_TRUNCATED_MARKER, redactText } from './redact-text.js';
import type { RedactionConfig } from './redaction.types.js';
import { parseRedactionConfig } from './redaction-config.js';
import { summarizeRedactions } from './redaction-summary.js';

const config = (input: Record<string, unknown>): RedactionConfig => {
  const parsed = parseRedactionConfig(input);
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  return parsed.config;
};

const sample =
  'Customer record: Christina Fernandez, SSN 834-65-4012, card 4111 1111 1111 1111, email felicia43@gmail.com, ' +
  'phone +44 20 7946 0958, from 212.15.216.81.';

describe('redactText', () => {
  it('replaces each finding with its typed placeholder and reports where it was', () => {
    const { text, redactions, truncated } = redactText(sample);
    expect(text).toBe(
      'Customer record: [PERSON], SSN [US_SSN], card [CREDIT_CARD], email [EMAIL], phone [PHONE], from [IP_ADDRESS].',
    );
    expect(truncated).toBe(false);
    expect(redactions.map((r) => r.type)).toEqual([
      'PERSON',
      'US_SSN',
      'CREDIT_CARD',
      'EMAIL',
      'PHONE',
      'IP_ADDRESS',
    ]);
    expect(sample.slice(redactions[2]?.start, redactions[2]?.end)).toBe('4111 1111 1111 1111');
  });

  it('never puts a value in what it reports', () => {
    const { redactions } = redactText(sample);
    const reported = JSON.stringify(redactions);
    for (const value of ['834-65-4012', '4111', 'felicia43', '7946', '212.15'])
      expect(reported).not.toContain(value);
    expect(summarizeRedactions(redactions)).toEqual({
      PERSON: 1,
      US_SSN: 1,
      CREDIT_CARD: 1,
      EMAIL: 1,
      PHONE: 1,
      IP_ADDRESS: 1,
    });
  });

  it('redacts only the kinds a deployment asks for', () => {
    const { text } = redactText(sample, config({ types: ['EMAIL', 'US_SSN'] }));
    expect(text).toContain('Christina Fernandez');
    expect(text).toContain('4111 1111 1111 1111');
    expect(text).toContain('[EMAIL]');
    expect(text).toContain('[US_SSN]');
  });

  it('numbers placeholders per value, or hides the kind', () => {
    const text = 'a@example.com, b@example.com, a@example.com';
    expect(redactText(text, config({ placeholder: 'numbered' })).text).toBe(
      '[EMAIL_1], [EMAIL_2], [EMAIL_1]',
    );
    expect(redactText('a@example.com, +44 20 7946 0958', config({ placeholder: 'numbered' })).text).toBe(
      '[EMAIL_1], [PHONE_1]',
    );
    expect(redactText(text, config({ placeholder: 'fixed' })).text).toBe(
      '[REDACTED], [REDACTED], [REDACTED]',
    );
  });

  it('merges overlapping findings into one stretch named after the more specific kind', () => {
    // The URL password and the e-mail-like "user:pass@host" overlap: one stretch, no piece left behind.
    const url = 'postgres://warden:S3cretPass@db.internal:5432/warden';
    const { text, redactions } = redactText(url);
    expect(text).not.toContain('S3cretPass');
    expect(redactions).toHaveLength(1);
    expect(redactions[0]?.type).toBe('API_KEY');
  });

  it('catches a value glued to another one, and leaves nothing for a second call', () => {
    for (const glued of [
      'bpitts@hotmail.com+44 20 7946 0958',
      'mail: a@example.com4111111111111111',
      'Phone: ghp_EomhIUghyXp0wcWVcluskrBeHbMHZFyerVNh 0412 345 678',
    ]) {
      const once = redactText(glued).text;
      expect(once).not.toMatch(/7946|4111|0412/);
      expect(redactText(once).text).toBe(once);
    }
  });

  it('cuts an input over the limit at a space and marks it (fail closed)', () => {
    const long = `${'word '.repeat(40)}${'a@example.com '.repeat(10)}`;
    const result = redactText(long, config({ maxInputChars: 120 }));
    expect(result.truncated).toBe(true);
    expect(result.text.endsWith(REDACTION_TRUNCATED_MARKER)).toBe(true);
    expect(result.text.length).toBeLessThanOrEqual(120 + REDACTION_TRUNCATED_MARKER.length);
    // No half address survives the cut.
    expect(result.text).not.toMatch(/@example|a@ex/);
  });

  it('leaves text without personal data byte for byte', () => {
    const text = 'The model reached 0.9734 accuracy after 12 epochs (batch 256, lr 3e-4) on 2024-05-17.';
    expect(redactText(text)).toEqual({ text, redactions: [], truncated: false });
  });

  it('findPii reports the same stretches without replacing', () => {
    expect(findPii(sample)).toEqual(redactText(sample).redactions);
  });
});

describe('parseRedactionConfig', () => {
  it('takes the defaults for what is absent', () => {
    const parsed = parseRedactionConfig({});
    expect(parsed.ok && parsed.config.placeholder).toBe('typed');
    expect(parseRedactionConfig(undefined).ok).toBe(true);
  });

  it('reports every problem at once', () => {
    const parsed = parseRedactionConfig({
      types: ['EMAIL', 'PASSPORT'],
      placeholder: 'stars',
      maxInputChars: 0,
      entropyTokens: 'yes',
      extra: 1,
    });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors).toHaveLength(5);
  });

  it('freezes the result', () => {
    const parsed = parseRedactionConfig({ types: ['EMAIL'] });
    expect(parsed.ok && Object.isFrozen(parsed.config)).toBe(true);
  });
});
