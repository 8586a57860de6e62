import { describe, expect, it } from 'vitest';
import { detectEmails } from './detect-email.js';
import type { Detection } from './redaction.types.js';

const emails = (text: string) => {
  const out: Detection[] = [];
  detectEmails(text, out);
  return out.map((d) => text.slice(d.start, d.end));
};

describe('detectEmails', () => {
  it.each([
    ['in prose', 'mail bpitts@hotmail.com today', 'bpitts@hotmail.com'],
    ['in parentheses', 'the user (michellefox@gmail.com) said', 'michellefox@gmail.com'],
    ['in JSON', '{"user": "wellscarl@gmail.com"}', 'wellscarl@gmail.com'],
    ['before a full stop', 'Write to info@presidio.site.', 'info@presidio.site'],
    ['with a tag and subdomains', 'first.last+tag@sub.example.co.uk', 'first.last+tag@sub.example.co.uk'],
    ['with a punycode domain', 'a@xn--d1acufc.xn--p1ai', 'a@xn--d1acufc.xn--p1ai'],
    ['with accents', 'josé.garcía@correo.es', 'josé.garcía@correo.es'],
    ['in angle brackets', 'To: <admin@example.org>', 'admin@example.org'],
  ])('finds one %s', (_what, text, email) => expect(emails(text)).toEqual([email]));

  it.each([
    ['a word with a dash', 'this is not an email: hello-world here'],
    ['a handle', 'ping @warden-bot on chat'],
    ['a host without a dot', 'root@localhost'],
    ['a numeric "TLD"', 'user@10.0.0.1'],
    ['a decorator', '@pytest.mark.parametrize'],
  ])('leaves %s alone', (_what, text) => expect(emails(text)).toEqual([]));

  it('stays linear on a long run of address characters without an @', () => {
    const text = `${'a.'.repeat(200_000)}@`;
    const started = performance.now();
    emails(text);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
