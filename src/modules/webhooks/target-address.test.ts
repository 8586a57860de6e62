import { describe, expect, it } from 'vitest';
import { addressAllowed, ipLiteralOf, parseTargetUrl } from './target-address.js';

describe('the webhook target rule', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['100.64.0.1', 'CGNAT'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.2.1', 'documentation'],
    ['240.0.0.1', 'reserved'],
    ['::1', 'IPv6 loopback'],
    ['::', 'IPv6 unspecified'],
    ['fe80::1', 'IPv6 link-local'],
    ['fc00::1', 'IPv6 unique-local'],
    ['fd12:3456::1', 'IPv6 unique-local'],
    ['ff02::1', 'IPv6 multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:10.0.0.1', 'IPv4-mapped private'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped link-local, in hex'],
    ['64:ff9b::7f00:1', 'NAT64 of loopback'],
    ['2002:7f00:1::', '6to4 of loopback'],
    ['2001::1', 'Teredo'],
    ['2001:db8::1', 'IPv6 documentation'],
    ['[::1]', 'bracketed IPv6 loopback'],
    ['not-an-address', 'not an IP address'],
  ])('refuses %s (%s) by default', (address) => {
    expect(addressAllowed(address, false)).toBe(false);
  });

  it.each(['8.8.8.8', '93.184.216.34', '2606:4700::1111', '::ffff:8.8.8.8', '[2606:4700::1111]'])(
    'allows the public address %s',
    (address) => {
      expect(addressAllowed(address, false)).toBe(true);
    },
  );

  it('allows private, loopback and link-local targets when told to, never unspecified, multicast or broadcast', () => {
    for (const a of ['127.0.0.1', '10.0.0.1', '169.254.1.1', '::1', 'fd00::1', '::ffff:127.0.0.1'])
      expect(addressAllowed(a, true)).toBe(true);
    for (const a of ['0.0.0.0', '::', '224.0.0.1', 'ff02::1', '255.255.255.255'])
      expect(addressAllowed(a, true)).toBe(false);
  });

  it('tells IP-literal hosts from names', () => {
    expect(ipLiteralOf('127.0.0.1')).toBe('127.0.0.1');
    expect(ipLiteralOf('[::1]')).toBe('::1');
    expect(ipLiteralOf('hooks.example.com')).toBeNull();
  });
});

describe('a webhook URL', () => {
  it('is an absolute http(s) URL with a host', () => {
    expect(parseTargetUrl('https://hooks.example.com/warden?team=ml').href).toBe(
      'https://hooks.example.com/warden?team=ml',
    );
    expect(parseTargetUrl('http://[2606:4700::1111]:8080/x').hostname).toBe('[2606:4700::1111]');
  });

  it.each([
    ['not a url', 'not an absolute URL'],
    ['/relative/path', 'not an absolute URL'],
    ['ftp://hooks.example.com/x', 'only http and https'],
    ['file:///etc/passwd', 'only http and https'],
    ['javascript:alert(1)', 'only http and https'],
    ['https://user:pass@hooks.example.com/x', 'credentials in the URL'],
    ['https://token@hooks.example.com/x', 'credentials in the URL'],
    ['https://hooks.example.com/x#frag', 'fragment'],
    [`https://hooks.example.com/${'a'.repeat(2100)}`, 'longer than'],
  ])('refuses %s', (url, reason) => {
    expect(() => parseTargetUrl(url)).toThrowError(expect.objectContaining({ code: 'webhook_url_invalid' }));
    try {
      parseTargetUrl(url);
    } catch (err) {
      expect((err as Error).message).toContain(reason);
    }
  });
});
