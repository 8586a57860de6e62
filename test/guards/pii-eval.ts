import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { piiTypes } from '../../src/modules/guards/redaction/index.js';

/** One record of the labelled PII set (test/fixtures/guard-data/pii/README.md). */
export interface PiiRecord {
  id: string;
  text: string;
  spans: { start: number; end: number; type: string; value: string }[];
  source: string;
}

const fixture = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../fixtures/guard-data/pii/pii-dev.jsonl',
);

export function loadPiiSet(): PiiRecord[] {
  return readFileSync(fixture, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as PiiRecord);
}

/** Spaces and dashes dropped: a value "still appears" when only they changed (README, Measuring). */
const squash = (s: string) => s.replace(/[\s-]/g, '');

export interface TypeScore {
  spans: number;
  leaked: number;
  leakRate: number;
}

export interface PiiScore {
  byType: Record<string, TypeScore>;
  lookAlikes: number;
  altered: number;
  overRedaction: number;
}

/** Leak rate per labelled type and over-redaction of look-alike records, for any redactor. */
export function scoreRedactor(records: readonly PiiRecord[], redact: (text: string) => string): PiiScore {
  const byType: Record<string, TypeScore> = {};
  let lookAlikes = 0;
  let altered = 0;
  for (const record of records) {
    const output = redact(record.text);
    if (record.spans.length === 0) {
      lookAlikes++;
      if (output !== record.text) altered++;
      continue;
    }
    const squashed = squash(output);
    for (const span of record.spans) {
      byType[span.type] ??= { spans: 0, leaked: 0, leakRate: 0 };
      const score = byType[span.type] as TypeScore;
      score.spans++;
      if (squashed.includes(squash(span.value))) score.leaked++;
    }
  }
  for (const score of Object.values(byType)) score.leakRate = score.leaked / score.spans;
  return { byType, lookAlikes, altered, overRedaction: lookAlikes === 0 ? 0 : altered / lookAlikes };
}

/** The seed design's redactor: one regular expression each for e-mails, 16-digit cards and SSNs. */
export function seedRedact(text: string): string {
  return text
    .replace(/[\w.+-]+@[\w-]+\.[\w.-]+/g, '[EMAIL]')
    .replace(/\b\d{4}[ -]?\d{4}[ -]?\d{4}[ -]?\d{4}\b/g, '[CREDIT_CARD]')
    .replace(/\b\d{3}-\d{2}-\d{4}\b/g, '[US_SSN]');
}

export const REDACTED_TYPES: string[] = [...piiTypes];

/** A printable table of the scores, the types Warden redacts first. */
export function formatScores(scores: Record<string, PiiScore>): string {
  const names = Object.keys(scores);
  const types = [
    ...REDACTED_TYPES,
    ...Object.keys(Object.values(scores)[0]?.byType ?? {})
      .filter((t) => !REDACTED_TYPES.includes(t))
      .sort(),
  ];
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const lines = [`${'type'.padEnd(24)} ${'spans'.padStart(5)} ${names.map((n) => n.padStart(14)).join(' ')}`];
  for (const type of types) {
    const first = Object.values(scores)[0]?.byType[type];
    if (!first) continue;
    const cells = names.map((n) => pct(scores[n]?.byType[type]?.leakRate ?? 0).padStart(14));
    lines.push(`${type.padEnd(24)} ${String(first.spans).padStart(5)} ${cells.join(' ')}`);
  }
  const total = (s: PiiScore | undefined, only: string[] | null) => {
    const rows = Object.entries(s?.byType ?? {}).filter(([t]) => only === null || only.includes(t));
    const spans = rows.reduce((n, [, r]) => n + r.spans, 0);
    return { spans, rate: rows.reduce((n, [, r]) => n + r.leaked, 0) / spans };
  };
  for (const [label, only] of [
    ['the 8 types above', REDACTED_TYPES],
    ['all labelled spans', null],
  ] as const) {
    const first = total(Object.values(scores)[0], only === null ? null : [...only]);
    const cells = names.map((n) => pct(total(scores[n], only === null ? null : [...only]).rate).padStart(14));
    lines.push(`${label.padEnd(24)} ${String(first.spans).padStart(5)} ${cells.join(' ')}`);
  }
  const over = names.map((n) => {
    const s = scores[n] as PiiScore;
    return `${pct(s.overRedaction)} (${s.altered}/${s.lookAlikes})`.padStart(14);
  });
  lines.push(`${'over-redaction'.padEnd(24)} ${''.padStart(5)} ${over.join(' ')}`);
  return lines.join('\n');
}
