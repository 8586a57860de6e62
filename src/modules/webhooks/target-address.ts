import ipaddr from 'ipaddr.js';
import { webhookUrlInvalid } from './webhook.errors.js';

/** The longest webhook URL accepted. */
export const maxWebhookUrlLength = 2048;

/** Never a target, whatever the settings: they name no single host (or every host). */
const neverTargets = new Set(['unspecified', 'broadcast', 'multicast']);

/**
 * Whether a webhook may connect to `address`. Only public unicast addresses, unless private targets are
 * allowed: private (RFC 1918), loopback, link-local, unique-local, CGNAT, reserved and documentation ranges,
 * and IPv6 forms that embed an IPv4 address (IPv4-mapped is judged as the IPv4 address it maps; 6to4,
 * Teredo and NAT64 are refused) all stay out. Unspecified, broadcast and multicast are always refused. A
 * string that is not an IP address is refused.
 */
export function addressAllowed(address: string, allowPrivateTargets: boolean): boolean {
  const literal = address.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(literal)) return false;
  // process() turns an IPv4-mapped IPv6 address (::ffff:127.0.0.1) into the IPv4 address it maps.
  const range = ipaddr.process(literal).range();
  if (neverTargets.has(range)) return false;
  return allowPrivateTargets || range === 'unicast';
}

/** The IP address a URL's host names directly (brackets of an IPv6 literal removed), or null for a name. */
export function ipLiteralOf(hostname: string): string | null {
  const bare = hostname.replace(/^\[|\]$/g, '');
  return ipaddr.isValid(bare) ? bare : null;
}

/**
 * A registration's URL, checked for its form: absolute http(s), a host, no user-info (credentials belong
 * in the receiver's checks of the signature, not in a URL that is listed and logged), no fragment.
 */
export function parseTargetUrl(raw: string): URL {
  if (raw.length > maxWebhookUrlLength)
    throw webhookUrlInvalid(`longer than ${maxWebhookUrlLength} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw webhookUrlInvalid('not an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw webhookUrlInvalid(`only http and https are delivered to, not ${url.protocol.replace(/:$/, '')}`);
  if (url.username !== '' || url.password !== '')
    throw webhookUrlInvalid('credentials in the URL are not allowed (receivers verify the signature)');
  if (url.hostname === '') throw webhookUrlInvalid('no host');
  if (url.hash !== '') throw webhookUrlInvalid('a fragment is never sent; leave it out');
  return url;
}
