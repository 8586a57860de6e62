import { isIPv4, isIPv6 } from 'node:net';

/**
 * The key failed authentications are counted and audited under. An IPv4 address is its own key; an IPv6
 * client usually holds a whole /64, so one key per /64 stops it from rotating addresses to dodge the limit
 * or to add an audit row per address. IPv4-mapped IPv6 addresses count as their IPv4 address.
 */
export function clientAddressKey(address: string): string {
  // Every IPv6 form holds a colon; an IPv4 address (the common case) skips the two regular expressions.
  if (!address.includes(':')) return address;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1] && isIPv4(mapped[1])) return mapped[1];
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('%')[0]?.split('::') ?? [];
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  // An embedded IPv4 tail takes two groups; only the first four groups matter here, so it is only counted.
  const size = (groups: string[]) => groups.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  const groups = address.includes('::')
    ? [...left, ...Array(Math.max(0, 8 - size(left) - size(right))).fill('0'), ...right]
    : left;
  const prefix = groups.slice(0, 4).map((g) => Number.parseInt(g, 16).toString(16));
  return `${prefix.join(':')}::/64`;
}
