// What may be written about a URL: logs and CLI messages show where a request went, never a credential
// that rode along in its query string or user-info.

export const REDACTED = '[redacted]';

/**
 * Query parameters whose values are shown in logs: the API's own filters and paging, none of which is a
 * secret. Any other parameter keeps its name and loses its value, so a credential under a name nobody
 * thought of (or a future presigned URL's `X-Amz-Signature`) is never written out.
 */
const shownParameters = new Set([
  'action',
  'after',
  'before',
  'cursor',
  'deleted',
  'limit',
  'outcome',
  'principal',
  'resource',
  'since',
  'tag',
  'until',
]);

/**
 * Query parameter names that carry a credential, compared after lower-casing and dropping `-`, `_`, `.`
 * and a trailing `[]`: `access_token`, `Access-Token` and `accessToken[]` are all `accesstoken`.
 */
const credentialNames = new Set([
  'token',
  'accesstoken',
  'idtoken',
  'refreshtoken',
  'bearer',
  'jwt',
  'auth',
  'authorization',
  'apikey',
  'xapikey',
  'key',
  'password',
  'passwd',
  'pwd',
  'secret',
  'clientsecret',
]);

const normalizeName = (name: string) => name.replace(/\[\]$/, '').replace(/[-_.]/g, '').toLowerCase();

/** The first query parameter of `url` (a request target or absolute URL) that names a credential, or null. */
export function credentialQueryParameter(url: string): string | null {
  const query = queryOf(url);
  if (query === null) return null;
  for (const name of new URLSearchParams(query).keys()) {
    if (credentialNames.has(normalizeName(name))) return name;
  }
  return null;
}

/**
 * `url` as it may be logged or printed: user-info removed, and every query value replaced by `[redacted]`
 * unless its parameter is one of the API's harmless filters. Works on request targets (`/a?b=c`) and
 * absolute URLs alike; the fragment is dropped.
 */
export function redactUrl(url: string): string {
  const withoutFragment = url.split('#', 1)[0] ?? '';
  const queryAt = withoutFragment.indexOf('?');
  const base = stripUserInfo(queryAt < 0 ? withoutFragment : withoutFragment.slice(0, queryAt));
  if (queryAt < 0) return base;
  const pairs = withoutFragment
    .slice(queryAt + 1)
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawName = eq < 0 ? pair : pair.slice(0, eq);
      if (eq < 0) return rawName;
      return shownParameters.has(safeDecode(rawName)) ? pair : `${rawName}=${REDACTED}`;
    });
  return pairs.length > 0 ? `${base}?${pairs.join('&')}` : base;
}

function stripUserInfo(base: string): string {
  // scheme://user:pass@host/… → scheme://host/…; a request target (/path) has no authority to strip.
  return base.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, '$1');
}

/** The query of a URL (between the first `?` and the fragment), found without copying the URL. */
function queryOf(url: string): string | null {
  const queryAt = url.indexOf('?');
  if (queryAt < 0) return null;
  const hashAt = url.indexOf('#');
  if (hashAt < 0) return url.slice(queryAt + 1);
  return hashAt < queryAt ? null : url.slice(queryAt + 1, hashAt);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/** Every absolute URL inside `text` passed through redactUrl (library messages quote the URL they failed on). */
export function redactUrlsIn(text: string): string {
  // Sentence punctuation right after a URL is kept outside it.
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>\\]*[^\s"'<>\\.,;:)]/gi, (url) => redactUrl(url));
}

const userInfo = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'\\]*@/gi;
const tokenSecret = /\b(wdn_[0-9A-Za-z]+_)[0-9A-Za-z]+/g;
// Standard Webhooks signing secrets (webhook endpoints): the prefix stays, the key material goes.
const webhookSecret = /\b(whsec_)[0-9A-Za-z+/=]+/g;
const bearerValue = /\b(Bearer|Basic)\s+[^\s"'\\,;]+/gi;
// name=value inside free text: any parameter that names a credential or a signature, whatever the case.
const secretPair =
  /([?&;\s"](?:access[-_]?token|id[-_]?token|refresh[-_]?token|token|jwt|auth|authorization|api[-_]?key|apikey|key|password|passwd|pwd|secret|client[-_]?secret|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token)=)[^&\s"'\\#]*/gi;

/**
 * Last line of defence over text already written for a log or a terminal: URL user-info, Warden token
 * secrets (the id stays, so an operator can still tell which token it was), webhook signing secrets, bearer/basic credentials and
 * credential-like `name=value` pairs lose their values.
 */
export function scrubSecrets(text: string): string {
  return text
    .replace(userInfo, '$1')
    .replace(tokenSecret, `$1${REDACTED}`)
    .replace(webhookSecret, `$1${REDACTED}`)
    .replace(bearerValue, `$1 ${REDACTED}`)
    .replace(secretPair, `$1${REDACTED}`);
}
