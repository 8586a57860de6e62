import { looksLikeSecret } from './entropy.js';
import type { Detection } from './redaction.types.js';
import { secretPatterns } from './secret-patterns.js';
import { wordBefore } from './text-scan.js';

const PEM_BEGIN = '-----BEGIN ';
const PEM_HEADER = /^-----BEGIN ([A-Z0-9 ]{0,40})PRIVATE KEY( BLOCK)?-----/;

/**
 * PEM private keys (PKCS#1/#8, EC, OpenSSH, PGP), header to footer. A key whose footer never comes (a cut-off
 * answer) is redacted to the end of the text: half a private key is still a secret.
 */
function detectPrivateKeys(text: string, out: Detection[]): void {
  for (let at = text.indexOf(PEM_BEGIN); at >= 0; at = text.indexOf(PEM_BEGIN, at + 1)) {
    const header = PEM_HEADER.exec(text.slice(at, at + 80));
    if (!header) continue;
    const footerText = `-----END ${header[1] ?? ''}PRIVATE KEY${header[2] ?? ''}-----`;
    const footer = text.indexOf(footerText, at);
    const end = footer < 0 ? text.length : footer + footerText.length;
    out.push({ type: 'API_KEY', start: at, end, detector: 'private-key' });
    if (footer < 0) return;
    at = end - 1;
  }
}

function isBase64UrlCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;
}

/** The end of the run of base64url characters from `i`. */
function base64UrlRun(text: string, i: number): number {
  while (i < text.length && isBase64UrlCode(text.charCodeAt(i))) i++;
  return i;
}

/**
 * JSON Web Tokens: `eyJ…` header, `.eyJ…` payload, `.` and a signature (empty for alg none). Read by hand:
 * a regular expression with bounded parts still retries every `eyJ` inside a long run (quadratic).
 */
function detectJwts(text: string, out: Detection[]): void {
  let from = 0;
  for (let at = text.indexOf('eyJ', from); at >= 0; at = text.indexOf('eyJ', from)) {
    const headerEnd = base64UrlRun(text, at);
    from = headerEnd + 1;
    if (wordBefore(text, at) || headerEnd - at < 10 || text.charCodeAt(headerEnd) !== 46) continue;
    if (!text.startsWith('eyJ', headerEnd + 1)) continue;
    const payloadEnd = base64UrlRun(text, headerEnd + 1);
    if (payloadEnd - headerEnd - 1 < 10 || text.charCodeAt(payloadEnd) !== 46) continue;
    const end = base64UrlRun(text, payloadEnd + 1);
    out.push({ type: 'API_KEY', start: at, end, detector: 'jwt' });
    from = end;
  }
}

const USER_INFO = /^([^\s:@/]{1,64}):([^\s:@/]{1,128})@/;

/** A password written into a URL (`scheme://user:password@host`), found from each `://`. */
function detectUrlPasswords(text: string, out: Detection[]): void {
  for (let at = text.indexOf('://'); at >= 0; at = text.indexOf('://', at + 3)) {
    const m = USER_INFO.exec(text.slice(at + 3, at + 3 + 200));
    if (!m) continue;
    const start = at + 3 + (m[1] as string).length + 1;
    out.push({ type: 'API_KEY', start, end: start + (m[2] as string).length, detector: 'url-password' });
  }
}

// `password = …`, `"api_key": "…"`, `AWS_SECRET_ACCESS_KEY=…`: the value after a credential's name.
const ASSIGNED =
  /(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|credentials?)[A-Za-z0-9_-]{0,30}["']?\s{0,4}[:=]\s{0,4}["']?([^\s"'`,;<>(){}[\]]{8,512})/gi;
const PLACEHOLDER =
  /^(?:x+|\*+|\.+|<.*>|\$\{.*\}|\{\{.*\}\}|%.*%|your[_-].*|changeme|redacted|none|null|true|false)$/i;
const EXPRESSION = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+(?:\(\))?$/; // settings.API_KEY, config.secret

/** Whether the value after a credential's name is a value rather than a word, a reference or a placeholder. */
function assignedValue(value: string): boolean {
  if (PLACEHOLDER.test(value) || EXPRESSION.test(value)) return false;
  if (!/^[^=:]+=*$/.test(value)) return false; // another name=value, not a value (base64 padding is fine)
  const hasDigit = /\d/.test(value);
  const hasLetter = /[A-Za-z]/.test(value);
  const mixedCase = /[a-z]/.test(value) && /[A-Z]/.test(value);
  const symbol = /[^A-Za-z0-9]/.test(value);
  return (hasDigit && hasLetter) || (mixedCase && value.length >= 12) || (symbol && hasLetter && hasDigit);
}

function detectAssigned(text: string, out: Detection[]): void {
  for (const m of text.matchAll(ASSIGNED)) {
    const value = m[1] as string;
    if (!assignedValue(value)) continue;
    const start = m.index + m[0].length - value.length;
    out.push({ type: 'API_KEY', start, end: start + value.length, detector: 'assigned-secret' });
  }
}

function isTokenCode(c: number): boolean {
  // The base64 and base64url alphabets: letters, digits, + / = _ -
  return (
    (c >= 48 && c <= 57) ||
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    c === 43 ||
    c === 47 ||
    c === 61 ||
    c === 95 ||
    c === 45
  );
}

const MIN_TOKEN = 20;

/** Unlabelled tokens that look generated (a hand loop: a regular expression here costs 10× more). */
function detectHighEntropy(text: string, out: Detection[]): void {
  let i = 0;
  while (i < text.length) {
    if (!isTokenCode(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const runStart = i;
    while (i < text.length && isTokenCode(text.charCodeAt(i))) i++;
    if (i - runStart < MIN_TOKEN || wordBefore(text, runStart)) continue;
    let start = runStart;
    let end = i;
    while (start < end && '/-_='.includes(text[start] as string)) start++;
    while (end > start && '/-_'.includes(text[end - 1] as string)) end--;
    if (looksLikeSecret(text.slice(start, end)))
      out.push({ type: 'API_KEY', start, end, detector: 'entropy' });
  }
}

/** API keys, tokens and private keys: known prefixes and structures, labelled values, and (optionally) any
 * unlabelled token that looks generated. */
export function detectSecrets(text: string, out: Detection[], entropyTokens: boolean): void {
  for (const { detector, pattern, wordStart, group = 0, accept } of secretPatterns) {
    for (const m of text.matchAll(pattern)) {
      const value = m[group];
      if (value === undefined || (accept && !accept(value))) continue;
      if (wordStart && wordBefore(text, m.index)) continue;
      const start = m.index + (group === 0 ? 0 : m[0].lastIndexOf(value));
      out.push({ type: 'API_KEY', start, end: start + value.length, detector });
    }
  }
  detectJwts(text, out);
  detectUrlPasswords(text, out);
  detectPrivateKeys(text, out);
  detectAssigned(text, out);
  if (entropyTokens) detectHighEntropy(text, out);
}
