import { describe, expect, it } from 'vitest';
import { detectIpv4, detectIpv6 } from './detect-ip.js';
import type { Detection } from './redaction.types.js';

const v6 = (text: string) => {
  const out: Detection[] = [];
  detectIpv6(text, out);
  return out.map((d) => text.slice(d.start, d.end));
};

const ips = (text: string) => {
  const out: Detection[] = [];
  detectIpv4(text, out);
  detectIpv6(text, out);
  return out.sort((a, b) => a.start - b.start).map((d) => text.slice(d.start, d.end));
};

describe('IPv4', () => {
  it('finds addresses in prose, URLs and CIDR', () => {
    expect(ips('from 212.15.216.81.')).toEqual(['212.15.216.81']);
    expect(ips('http://192.168.0.10:8080/api')).toEqual(['192.168.0.10']);
    expect(ips('10.0.0.0/8 and 127.0.0.1')).toEqual(['10.0.0.0', '127.0.0.1']);
  });

  it.each([
    ['an octet over 255', '192.168.1.256'],
    ['three octets', 'my ip: 192.168.0'],
    ['five parts (a version)', 'build 10.0.19041.1234.5'],
    ['a netmask', 'netmask 255.255.255.0'],
    ['leading zeros', '010.001.001.001'],
    ['a section number', 'see Chapter 3.2.1.4 and v1.2.3.4'],
  ])('leaves %s alone', (_what, text) => expect(ips(text)).toEqual([]));
});

describe('IPv6', () => {
  it.each([
    '2001:db8::1',
    '40b3:bddf:86fc:90b8:37ef:c1cf:6d64:bed0',
    '::1',
    'ff02::1',
    '::ffff:10.0.0.1',
    '64:ff9b::192.0.2.1',
    '2001:db8:0:0:0:0:192.168.1.1',
    '2400:c401::5054:ff:fe1b:b031',
  ])('finds the full form %s', (ip) => expect(v6(`address ${ip} here`)).toEqual([ip]));

  it('leaves a bare prefix and the unspecified address alone (they point at no host)', () => {
    expect(ips('Unspecified :: and prefix fe80::')).toEqual([]);
  });

  it('finds bracketed and zoned forms', () => {
    expect(ips('[2001:db8::ff00:42:8329]:443')).toEqual(['2001:db8::ff00:42:8329']);
    expect(ips('fe80::1%eth0')).toEqual(['fe80::1']);
    expect(ips('Server IP: 2400:c401::5054:ff:fe1b:b031.')).toEqual(['2400:c401::5054:ff:fe1b:b031']);
  });

  it.each([
    ['two double colons', '2001::25de::cade'],
    ['non-hex groups', 'gggg:hhhh::1234'],
    ['a C++ scope', 'std::cout << x'],
    ['a port mapping', 'Port 80:443'],
    ['a time', '16:19:21'],
    ['a MAC address', '00:1A:2B:3C:4D:5E'],
    ['a Python slice', 'xs[::2] and xs[::-1]'],
    ['a Haskell signature', 'length :: [a] -> Int'],
    ['an address glued to a word', 'text2001:db8::1'],
    ['an invalid embedded IPv4', '::ffff:256.0.0.1'],
  ])('leaves %s alone', (_what, text) => expect(ips(text)).toEqual([]));

  it('still finds the IPv4 at the end of a word-glued IPv6', () => {
    expect(ips('foo2001:db8::10.0.0.1')).toEqual(['10.0.0.1']);
  });
});
