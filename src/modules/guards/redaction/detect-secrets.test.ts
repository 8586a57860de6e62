import { describe, expect, it } from 'vitest';
import { detectSecrets } from './detect-secrets.js';
import type { Detection } from './redaction.types.js';

const secrets = (text: string, entropy = true) => {
  const out: Detection[] = [];
  detectSecrets(text, out, entropy);
  return out.map((d) => ({ value: text.slice(d.start, d.end), detector: d.detector }));
};
const values = (text: string) => secrets(text).map((s) => s.value);

// Fixtures are assembled at run time so that no complete key-shaped literal sits in the source (scanners).
const k = (...parts: string[]) => parts.join('');

describe('known prefixes', () => {
  it.each([
    ['aws-access-key', k('AKIA', 'IOSFODNN7EXAMPLE')],
    ['aws-access-key', k('ASIA', 'XECBYAD3KAXT72AB')],
    ['github-token', k('ghp_', 'EomhIUghyXp0wcWVcluskrBeHbMHZFyerVNh')],
    ['github-token', k('gho_', 'QfckZfOnpswCe9xWEBR7h4wIN3rEOsUphMad')],
    ['github-token', k('ghs_', 'YmaUUb4SvTlcROqXHBH3POxDlZa6wfbYdRXI')],
    ['github-pat', k('github_pat_', '11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKL')],
    ['gitlab-token', k('glpat-', 'AbCdEf1234567890XyZw')],
    ['slack-token', k('xoxb-', '579733738459-889060629226-68epp7o0z79epquv5mgbc1du')],
    ['slack-token', k('xoxp-', '463208121547-746240287970-z98hnicficgvhtozyvkyp435')],
    ['stripe-key', k('sk_live_', 'VyYBeFTG0DdG0zfP0rO1WMJi')],
    ['stripe-key', k('rk_live_', 'kcNbQTLeClMM3e1AgbW9DhY8')],
    ['google-api-key', k('AIza', 'DJFol7EF8XUkwqEYi9yEZL-TbU8qP8O5SHT')],
    ['openai-anthropic-key', k('sk-proj-', '6vgPiK2POIfCnyZePnJ86JNHjbhqKBpp0GuF88zskhOTizjs')],
    ['openai-anthropic-key', k('sk-ant-api03-', 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-abcdEFGH')],
    ['huggingface-token', k('hf_', 'AbCdEfGhIjKlMnOpQrStUvWxYz01234567')],
    ['npm-token', k('npm_', 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789')],
    ['twilio-key', k('SK', '0123456789abcdef0123456789abcdef')],
    ['sendgrid-key', k('SG.', 'abcdefghijklmnopqrstuv.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ')],
    ['warden-token', k('wdn_', 'a1b2c3d4_', 'Q2xVbW9kZWxzQXJlTm90U2VjcmV0cw')],
  ])('%s: %s', (detector, key) => {
    expect(secrets(`the key ${key} is live`)).toContainEqual({ value: key, detector });
  });

  it('finds JSON Web Tokens, including unsigned ones', () => {
    const jwt = k(
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
      '.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0',
      '.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
    );
    expect(values(`Authorization: Bearer ${jwt}`)).toContain(jwt);
    const unsigned = k('eyJhbGciOiJub25lIn0', '.eyJzdWIiOiJhZG1pbiJ9', '.');
    expect(secrets(`token ${unsigned} end`)).toContainEqual({ value: unsigned, detector: 'jwt' });
  });

  it('finds PEM private keys whole, and to the end of the text when the footer is missing', () => {
    const pem = k('-----BEGIN RSA PRIVATE', ' KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE', ' KEY-----');
    expect(values(`key:\n${pem}\ndone`)).toContain(pem);
    const cut = k('-----BEGIN OPENSSH PRIVATE', ' KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA');
    expect(values(`here: ${cut}`)).toContain(cut);
    expect(values(k('-----BEGIN CERTIFICATE', '-----\nMIIB\n-----END CERTIFICATE-----'))).toEqual([]);
  });

  it('finds a password written into a URL, and only the password', () => {
    expect(values('postgres://warden:s3cret-Pass@db:5432/warden')).toContain('s3cret-Pass');
  });

  it('does not take a prefix inside a longer word', () => {
    expect(secrets(k('xAKIA', 'IOSFODNN7EXAMPLE'), false)).toEqual([]);
    expect(secrets('use sk-learn-compatible-interfaces-everywhere', false)).toEqual([]);
  });
});

describe('labelled values', () => {
  it.each([
    ['aws_secret_access_key = ', k('jcN9Q8jg6WbmD6jCuBwQiLRxXvYTDN9N3nz/AK6v')],
    ['AWS_SECRET_ACCESS_KEY=', k('Rte5NlubeksWJfmgmx+Uyqz7X8dE2RajU1FcOjkO')],
    ['"api_key": "', k('r4nd0m-Value-99')],
    ['password: ', 'hunter2XY9'],
    ['client_secret=', 'a8f5f167f44f4964e6c998dee827110c'],
  ])('%s…', (label, value) => expect(values(`${label}${value}"`)).toContain(value));

  it.each([
    'password: <your-password>',
    'API_KEY=process.env.API_KEY',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell-style placeholder, written as text
    'token: ${TOKEN}',
    'password: ********',
    'max_tokens=4096',
    'The token count was 4096 tokens: max_tokens=4096.',
    'secret: changeme',
    'the secret_sauce = something',
  ])('not a value: %s', (text) => expect(secrets(text, false)).toEqual([]));
});
