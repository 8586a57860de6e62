import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseRedactionConfig,
  piiTypes,
  REDACTION_TRUNCATED_MARKER,
  type RedactionConfig,
  redactText,
} from '../../src/modules/guards/redaction/index.js';

// Pieces that look like personal data, look-alikes, and the separators and words between them, so the
// generated texts hit every detector's edges (boundaries, separators, merges) rather than random noise.
const pieces = [
  'bpitts@hotmail.com',
  'a.b+c@x.co',
  '@',
  '.',
  '-',
  ' ',
  '\n',
  '\\n',
  ':',
  '::',
  '(',
  ')',
  '+',
  '4111 1111 1111 1111',
  '4111111111111111',
  '3598 5441 9674 7628',
  '+44 20 7946 0958',
  '(415) 555-0132',
  'Phone: ',
  '72 128 827',
  '834-65-4012',
  '666-12-3456',
  'DE89 3704 0044 0532 0130 00',
  'GB82WEST12345698765432',
  '212.15.216.81',
  '192.168.1.256',
  '2001:db8::1',
  'std::cout',
  'AKIAIOSFODNN7EXAMPLE',
  'ghp_EomhIUghyXp0wcWVcluskrBeHbMHZFyerVNh',
  'jcN9Q8jg6WbmD6jCuBwQiLRxXvYTDN9N3nz/AK6v',
  'password=',
  '-----BEGIN PRIVATE KEY-----',
  'eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.',
  'Dear ',
  'Name: ',
  'Emily Wood',
  'Björklund',
  '2006-04-09',
  '978-0-663-13525-7',
  '5a19405347fdf16a35743a22395018e1',
  'c2653040-4ce7-4df8-b83f-4ebe759b38a4',
  '7.19.2',
  'the',
  'order',
  '12',
  '0',
  'é',
  '😀',
  '[EMAIL]',
];
const piiText = fc
  .array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 6 })), { maxLength: 40 })
  .map((parts) => parts.join(''));
const anyText = fc.oneof(
  piiText,
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ maxLength: 200 }),
);

const configs = fc
  .record({
    types: fc.subarray([...piiTypes], { minLength: 1 }),
    placeholder: fc.constantFrom('typed', 'numbered', 'fixed'),
    maxInputChars: fc.integer({ min: 1, max: 400 }),
    entropyTokens: fc.boolean(),
  })
  .map((input) => {
    const parsed = parseRedactionConfig(input);
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    return parsed.config;
  });

const placeholder = /^\[(?:[A-Z_]+?(?:_\d+)?|REDACTED)\]$/;
const LONGEST_PLACEHOLDER = '[CREDIT_CARD_9999]'.length;

/** The output rebuilt from the input and the reported stretches: nothing else may differ. */
function rebuild(input: string, config: RedactionConfig, output: string) {
  const result = redactText(input, config);
  // The part of the input that was scanned: a truncated input is scanned up to the limit, not up to the
  // output's length (which placeholders shorten or lengthen).
  const scanned = result.truncated ? input.slice(0, config.maxInputChars) : input;
  let at = 0;
  let outAt = 0;
  for (const r of result.redactions) {
    expect(r.start).toBeGreaterThanOrEqual(at);
    expect(r.end).toBeGreaterThan(r.start);
    const kept = scanned.slice(at, r.start);
    expect(output.slice(outAt, outAt + kept.length)).toBe(kept);
    outAt += kept.length;
    const close = output.indexOf(']', outAt);
    expect(output.slice(outAt, close + 1)).toMatch(placeholder);
    outAt = close + 1;
    at = r.end;
  }
  return { result, at, outAt };
}

describe('redactText properties', () => {
  it('never throws, and keeps the output bounded', () => {
    fc.assert(
      fc.property(anyText, configs, (text, config) => {
        const { text: out, redactions, truncated } = redactText(text, config);
        const scanned = Math.min(text.length, config.maxInputChars);
        const bound = scanned + redactions.length * LONGEST_PLACEHOLDER + REDACTION_TRUNCATED_MARKER.length;
        expect(out.length).toBeLessThanOrEqual(bound);
        expect(truncated).toBe(text.length > config.maxInputChars);
      }),
      { numRuns: 1_500 },
    );
  });

  it('changes the text only where it reports a finding, and only to a placeholder', () => {
    // A counterexample fast-check once found: a truncated input whose output is shorter than the limit.
    const jwts = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.'.repeat(2);
    const found = parseRedactionConfig({
      types: ['API_KEY'],
      placeholder: 'typed',
      maxInputChars: 81,
      entropyTokens: true,
    });
    if (!found.ok) throw new Error(found.errors.join('; '));
    expect(rebuild(jwts, found.config, redactText(jwts, found.config).text).outAt).toBe(19);
    fc.assert(
      fc.property(anyText, configs, (text, config) => {
        const { result, at, outAt } = rebuild(text, config, redactText(text, config).text);
        const rest = result.text.slice(outAt);
        const tail = result.truncated ? rest.slice(0, rest.length - REDACTION_TRUNCATED_MARKER.length) : rest;
        if (!result.truncated) expect(tail).toBe(text.slice(at));
        else expect(result.text.endsWith(REDACTION_TRUNCATED_MARKER)).toBe(true);
        for (const r of result.redactions) expect(config.types).toContain(r.type);
      }),
      { numRuns: 1_500 },
    );
  });

  it('is idempotent: a redacted text has nothing left to redact', () => {
    fc.assert(
      fc.property(piiText, (text) => {
        const once = redactText(text).text;
        expect(redactText(once).text).toBe(once);
      }),
      { numRuns: 1_500 },
    );
  });

  it('leaves no detectable value behind in text made of personal data', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...pieces.slice(13, 16), '+44 20 7946 0958', '834-65-4012'), {
          minLength: 1,
          maxLength: 8,
        }),
        (values) => {
          const text = values.join(' and ');
          const out = redactText(text).text;
          for (const v of ['4111', '7946', '834-65']) expect(out).not.toContain(v);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('redactText on hostile inputs', () => {
  // Inputs built to make a careless scanner quadratic: long runs of what each detector starts from. Each is
  // 256 Ki characters; the bound is generous (a loaded CI machine) but far below quadratic time.
  const size = 256 * 1024;
  const fill = (unit: string) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  it.each([
    ['digits', fill('1')],
    ['digit groups', fill('12 ')],
    ['dash-joined digits', fill('1-')],
    ['at signs', fill('a@')],
    ['address characters without an @', `${fill('a.')}@`],
    ['colons and hex', fill('ab:')],
    ['dotted digits', fill('1.')],
    ['base64', fill('aB3+')],
    ['JWT starts', fill('eyJ')],
    ['PEM headers', fill('-----BEGIN ')],
    ['credential names', fill('password=')],
    ['greetings', fill('Dear ')],
    ['plus signs and digits', fill('+1 ')],
    ['parentheses', fill('(1)')],
    ['IBAN starts', fill('GB12 ')],
  ])('%s', (_what, text) => {
    const started = performance.now();
    redactText(text);
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});
