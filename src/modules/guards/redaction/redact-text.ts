import { detectCards } from './detect-card.js';
import { detectEmails } from './detect-email.js';
import { detectIbans } from './detect-iban.js';
import { detectIpv4, detectIpv6 } from './detect-ip.js';
import { detectNameHeadings, detectPersons } from './detect-person.js';
import { detectPhones } from './detect-phone.js';
import { detectSecrets } from './detect-secrets.js';
import { detectSsns } from './detect-ssn.js';
import type { Detection, PiiType, Redaction, RedactionConfig, RedactionResult } from './redaction.types.js';
import { defaultRedactionConfig } from './redaction-config.js';

export const REDACTION_TRUNCATED_MARKER = '[TRUNCATED]';

/** When two findings overlap, the merged stretch is named after the more specific kind. */
const PRIORITY: Record<PiiType, number> = {
  API_KEY: 8,
  EMAIL: 7,
  IBAN: 6,
  CREDIT_CARD: 5,
  US_SSN: 4,
  IP_ADDRESS: 3,
  PHONE: 2,
  PERSON: 1,
};

type Detector = (text: string, out: Detection[], config: RedactionConfig) => void;

const DETECTORS: readonly [PiiType, Detector][] = [
  ['API_KEY', (t, out, c) => detectSecrets(t, out, c.entropyTokens)],
  ['EMAIL', detectEmails],
  ['IBAN', detectIbans],
  ['CREDIT_CARD', detectCards],
  ['US_SSN', detectSsns],
  [
    'IP_ADDRESS',
    (t, out) => {
      detectIpv4(t, out);
      detectIpv6(t, out);
    },
  ],
  ['PHONE', detectPhones],
  ['PERSON', detectPersons],
];

/**
 * Overlapping or touching-inside findings become one stretch covering all of them (fail closed: no piece of
 * a found value is left out because another finding won), named after the highest-priority kind in it.
 */
function mergeDetections(found: Detection[]): Redaction[] {
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Redaction[] = [];
  for (const d of found) {
    if (d.end <= d.start) continue;
    const last = merged[merged.length - 1];
    if (last && d.start < last.end) {
      last.end = Math.max(last.end, d.end);
      if (PRIORITY[d.type] > PRIORITY[last.type]) {
        last.type = d.type;
        last.detector = d.detector;
      }
      continue;
    }
    merged.push({ type: d.type, start: d.start, end: d.end, detector: d.detector });
  }
  return merged;
}

function placeholderFor(config: RedactionConfig, r: Redaction, value: string, numbers: Map<string, number>) {
  if (config.placeholder === 'fixed') return '[REDACTED]';
  if (config.placeholder === 'typed') return `[${r.type}]`;
  // Numbered per kind: the first e-mail is EMAIL_1 and the first phone number PHONE_1.
  const key = `${r.type}\u0000${value}`;
  let n = numbers.get(key);
  if (n === undefined) {
    n = (numbers.get(r.type) ?? 0) + 1;
    numbers.set(r.type, n);
    numbers.set(key, n);
  }
  return `[${r.type}_${n}]`;
}

/** The input cut to the limit, at a space in the last 256 characters when there is one (no half value). */
function bound(text: string, max: number): { scanned: string; truncated: boolean } {
  if (text.length <= max) return { scanned: text, truncated: false };
  let cut = max;
  const space = text.slice(Math.max(0, max - 256), max + 1).search(/\s[^\s]*$/);
  if (space >= 0) cut = Math.max(0, max - 256) + space;
  return { scanned: text.slice(0, cut), truncated: true };
}

function detectAll(text: string, config: RedactionConfig): Redaction[] {
  const found: Detection[] = [];
  for (const [type, detect] of DETECTORS) {
    if (config.types.includes(type)) detect(text, found, config);
  }
  if (config.types.includes('PERSON')) {
    const anchors = found.filter((d) => d.type !== 'PERSON').map((d) => d.start);
    detectNameHeadings(
      text,
      found,
      anchors.sort((a, b) => a - b),
    );
  }
  return mergeDetections(found);
}

/** One stretch of a rendered output: kept input, or a placeholder standing for `[inStart, inEnd)`. */
interface Segment {
  outStart: number;
  outEnd: number;
  inStart: number;
  inEnd: number;
  placeholder: boolean;
}

function render(text: string, redactions: readonly Redaction[], config: RedactionConfig) {
  const numbers = new Map<string, number>();
  const parts: string[] = [];
  const segments: Segment[] = [];
  let at = 0;
  let out = 0;
  const push = (piece: string, inStart: number, inEnd: number, placeholder: boolean) => {
    parts.push(piece);
    segments.push({ outStart: out, outEnd: out + piece.length, inStart, inEnd, placeholder });
    out += piece.length;
  };
  for (const r of redactions) {
    if (r.start > at) push(text.slice(at, r.start), at, r.start, false);
    push(placeholderFor(config, r, text.slice(r.start, r.end), numbers), r.start, r.end, true);
    at = r.end;
  }
  if (at < text.length) push(text.slice(at), at, text.length, false);
  return { text: parts.join(''), segments };
}

/** An offset of the rendered output back in the input: a placeholder maps to its whole stretch. */
function toInput(segments: readonly Segment[], offset: number, edge: 'start' | 'end'): number {
  let lo = 0;
  let hi = segments.length - 1;
  const probe = edge === 'start' ? offset : offset - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((segments[mid] as Segment).outStart <= probe) lo = mid;
    else hi = mid - 1;
  }
  const seg = segments[lo] as Segment;
  if (seg.placeholder) return edge === 'start' ? seg.inStart : seg.inEnd;
  return seg.inStart + (offset - seg.outStart);
}

const MAX_PASSES = 3;

/**
 * Finds what `config` asks for in `text`, without replacing anything (offsets into `text`). A found value
 * changes what its neighbours look like: one glued to it ("…@mail.com+44 20 …") only starts a word, and a
 * label pushed out of reach by a long key ("Phone: <40-character key> 0412 345 678") only comes back into
 * reach, once it is a placeholder. So a text with findings is scanned again with its placeholders in, until
 * nothing new turns up (at most three passes): a redacted text has nothing left to redact. Text without
 * findings (most model output) is scanned once.
 */
export function findPii(text: string, config: RedactionConfig = defaultRedactionConfig): Redaction[] {
  let spans = detectAll(text, config);
  for (let pass = 1; pass < MAX_PASSES && spans.length > 0; pass++) {
    const rendered = render(text, spans, config);
    const more = detectAll(rendered.text, config).map((r) => ({
      ...r,
      start: toInput(rendered.segments, r.start, 'start'),
      end: toInput(rendered.segments, r.end, 'end'),
    }));
    if (more.length === 0) break;
    const merged = mergeDetections([...spans.map((r) => ({ ...r })), ...more]);
    const unchanged =
      merged.length === spans.length &&
      merged.every((r, i) => r.start === spans[i]?.start && r.end === spans[i]?.end);
    spans = merged;
    if (unchanged) break;
  }
  return spans;
}

/**
 * Replaces personal data and secrets in one model output with placeholders. Pure and linear in the input;
 * an input longer than `maxInputChars` is cut and marked, never passed through unscanned.
 */
export function redactText(text: string, config: RedactionConfig = defaultRedactionConfig): RedactionResult {
  const { scanned, truncated } = bound(text, config.maxInputChars);
  const redactions = findPii(scanned, config);
  const rendered = render(scanned, redactions, config).text;
  return { text: truncated ? rendered + REDACTION_TRUNCATED_MARKER : rendered, redactions, truncated };
}
