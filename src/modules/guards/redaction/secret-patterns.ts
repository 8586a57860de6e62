/**
 * Credentials recognisable by their issuer's prefix or structure. Each pattern starts with a literal (V8
 * finds it without backtracking) and every repetition is bounded, so a scan stays linear in the input.
 */
export interface SecretPattern {
  detector: string;
  /** Whether the match must start a word (checked by the caller, not by a slow look-behind). */
  wordStart: boolean;
  pattern: RegExp;
  /** The capture group to redact (the value after a label), or 0 for the whole match. */
  group?: number;
  /** A last check on the redacted value, for prefixes that ordinary words can also start with. */
  accept?: (value: string) => boolean;
}

// Patterns start with their literal prefix and no look-behind (V8 then finds candidates by a fast literal
// search); the caller checks that a match starts a word. A word end:
const E = '(?![A-Za-z0-9_])';

const re = (source: string, flags = 'g') => new RegExp(source, flags);

/** Mixed case and a digit: what generated keys have and hyphenated words (`sk-learn-…`) do not. */
function randomLooking(value: string): boolean {
  return /[a-z]/.test(value) && /[A-Z]/.test(value) && /\d/.test(value);
}

export const secretPatterns: readonly SecretPattern[] = [
  {
    detector: 'aws-access-key',
    wordStart: true,
    pattern: re(`(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA)[A-Z0-9]{16}${E}`),
  },
  { detector: 'github-token', wordStart: true, pattern: re(`gh[pousr]_[A-Za-z0-9]{36,251}${E}`) },
  { detector: 'github-pat', wordStart: true, pattern: re(`github_pat_[A-Za-z0-9_]{22,251}${E}`) },
  {
    detector: 'gitlab-token',
    wordStart: true,
    pattern: re(`gl(?:pat|dt|rt|ptt|cbt|oas)-[A-Za-z0-9_-]{20,250}`),
  },
  { detector: 'slack-token', wordStart: true, pattern: re(`xox[abposre]-[A-Za-z0-9-]{10,250}`) },
  { detector: 'slack-app-token', wordStart: true, pattern: re(`xapp-\\d-[A-Za-z0-9-]{10,250}`) },
  {
    detector: 'slack-webhook',
    wordStart: false,
    pattern: re(`https://hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_-]{20,250}`),
  },
  { detector: 'stripe-key', wordStart: true, pattern: re(`(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,247}${E}`) },
  { detector: 'stripe-webhook-secret', wordStart: true, pattern: re(`whsec_[A-Za-z0-9]{24,250}${E}`) },
  { detector: 'google-api-key', wordStart: true, pattern: re(`AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])`) },
  {
    detector: 'google-oauth-secret',
    wordStart: true,
    pattern: re(`GOCSPX-[A-Za-z0-9_-]{28}(?![A-Za-z0-9_-])`),
  },
  {
    detector: 'openai-anthropic-key',
    wordStart: true,
    pattern: re(`sk-(?:proj-|svcacct-|admin-|ant-(?:api|admin)\\d\\d-)?[A-Za-z0-9_-]{20,250}`),
    accept: randomLooking,
  },
  {
    detector: 'huggingface-token',
    wordStart: true,
    pattern: re(`hf_[A-Za-z0-9]{30,40}${E}`),
    accept: randomLooking,
  },
  { detector: 'npm-token', wordStart: true, pattern: re(`npm_[A-Za-z0-9]{36}${E}`) },
  { detector: 'pypi-token', wordStart: true, pattern: re(`pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,250}`) },
  { detector: 'twilio-key', wordStart: true, pattern: re(`(?:SK|AC)[0-9a-f]{32}${E}`) },
  {
    detector: 'sendgrid-key',
    wordStart: true,
    pattern: re(`SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])`),
  },
  { detector: 'warden-token', wordStart: true, pattern: re(`wdn_[0-9A-Za-z]{4,64}_[0-9A-Za-z]{16,128}${E}`) },
  // An Authorization header's value.
  {
    detector: 'bearer-token',
    wordStart: false,
    pattern: re(String.raw`\b(?:Bearer|Basic|Token)\s{1,4}([A-Za-z0-9._~+/=-]{16,4096})`, 'g'),
    group: 1,
    accept: (v) => /\d/.test(v) && /[A-Za-z]/.test(v),
  },
];
