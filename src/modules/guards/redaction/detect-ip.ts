import { isIP } from 'node:net';
import type { Detection } from './redaction.types.js';
import { codeAt, isHexDigit, isWordCode, labelBefore } from './text-scan.js';

// Bounded repetitions and a fixed shape: a linear scan (V8 finds each start by the first digit).
const IPV4 = /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)/g;

// Netmasks (255.255.255.0) are valid dotted quads that point at no host.
const NETMASK =
  /^255\.(?:255|254|252|248|240|224|192|128|0)\.(?:255|254|252|248|240|224|192|128|0)\.(?:255|254|252|248|240|224|192|128|0)$/;

// Four single digits after a word that numbers things ("Chapter 3.2.1.4", "v1.2.3.4"): a number, not a host.
const SINGLE_DIGITS = /^\d\.\d\.\d\.\d$/;
const NUMBERING =
  /\b(?:v|ver|version|release|build|chapter|section|sec|step|figure|fig|table|item|rule|clause|part|article|§)\.?\s*$/;

export function detectIpv4(text: string, out: Detection[]): void {
  for (const m of text.matchAll(IPV4)) {
    if (isIP(m[0]) !== 4 || NETMASK.test(m[0])) continue; // each octet 0–255, no leading zeros
    if (SINGLE_DIGITS.test(m[0]) && NUMBERING.test(labelBefore(text, m.index, 24))) continue;
    out.push({ type: 'IP_ADDRESS', start: m.index, end: m.index + m[0].length, detector: 'ipv4' });
  }
}

function isV6Code(code: number): boolean {
  return isHexDigit(code) || code === 58 /* : */ || code === 46; /* . (an embedded IPv4) */
}

const MAX_V6 = 45; // the longest textual IPv6 address (with an embedded IPv4)

/**
 * Whether a valid but nearly empty address (`::`, `::2`, `1::`) is really one. Code uses the same characters
 * (`xs[::2]`, `x :: Int`): only the loopback `::1` counts. The unspecified `::` identifies no one and is
 * left alone.
 */
function plausibleShortForm(text: string, start: number, end: number, candidate: string): boolean {
  const groups = candidate.split(':').filter((g) => g !== '');
  if (groups.length >= 2 || candidate.includes('.')) return true;
  if (candidate !== '::1') return false;
  return codeAt(text, start - 1) !== 91 || codeAt(text, end) === 93; // [::1] is fine, xs[::1 is not
}

/**
 * IPv6 addresses: each maximal run of hex digits, colons and dots that starts a word is validated whole by
 * `node:net` (after dropping sentence punctuation), so `gggg:hhhh::1`, `2001::25de::cade` and the `25de::c`
 * inside a longer run are never taken for one.
 */
export function detectIpv6(text: string, out: Detection[]): void {
  let i = text.indexOf(':');
  while (i >= 0) {
    // Back to the start of the run holding this colon.
    let start = i;
    while (start > 0 && isV6Code(text.charCodeAt(start - 1))) start--;
    let end = i;
    while (end < text.length && isV6Code(text.charCodeAt(end))) end++;
    const next = text.indexOf(':', end);
    if (end - start <= MAX_V6 + 2 && !(start > 0 && isWordCode(text.charCodeAt(start - 1)))) {
      let e = end;
      while (e > start && text.charCodeAt(e - 1) === 46) e--; // a full stop after the address
      if (e > start && text.charCodeAt(e - 1) === 58 && text.charCodeAt(e - 2) !== 58) e--; // "…:1: next"
      const candidate = text.slice(start, e);
      const after = codeAt(text, e);
      if (
        !(after >= 0 && isWordCode(after)) &&
        isIP(candidate) === 6 &&
        plausibleShortForm(text, start, e, candidate)
      )
        out.push({ type: 'IP_ADDRESS', start, end: e, detector: 'ipv6' });
    }
    i = next;
  }
}
