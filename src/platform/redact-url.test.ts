import { describe, expect, it } from 'vitest';
import { credentialQueryParameter, redactUrl, redactUrlsIn, scrubSecrets } from './redact-url.js';

describe('credentialQueryParameter', () => {
  it.each([
    ['/api/v1/models?token=abc', 'token'],
    ['/x?limit=2&ACCESS_TOKEN=abc', 'ACCESS_TOKEN'],
    ['/x?Api-Key=abc', 'Api-Key'],
    ['/x?apikey=abc', 'apikey'],
    ['/x?key=abc', 'key'],
    ['/x?Password=', 'Password'],
    ['/x?secret', 'secret'],
    ['/x?jwt=a.b.c', 'jwt'],
    ['/x?auth=abc', 'auth'],
    ['/x?%74oken=abc', 'token'],
    ['/x?client_secret=abc', 'client_secret'],
    ['/x?token[]=abc', 'token[]'],
    ['https://warden.example/x?id_token=abc#frag', 'id_token'],
    ['/x?limit=1&token=abc#?key=1', 'token'],
  ])('finds the credential in %s', (url, name) => {
    expect(credentialQueryParameter(url)).toBe(name);
  });

  it.each([
    '/api/v1/models',
    '/api/v1/models?limit=5&after=abc',
    '/api/v1/audit?action=identity:token:create&principal=token:01',
    '/x?monkey=1&tokens=2&keyring=3',
    '/x/token=abc',
    '/x#token=abc',
    '/x#frag?token=abc',
    '/x?limit=2#token=abc',
  ])('lets %s through', (url) => {
    expect(credentialQueryParameter(url)).toBeNull();
  });
});

describe('redactUrl', () => {
  it('keeps the path and the API filters, and drops every other value', () => {
    expect(redactUrl('/api/v1/models?limit=5&token=wdn_a_b&X-Amz-Signature=ff&flag')).toBe(
      '/api/v1/models?limit=5&token=[redacted]&X-Amz-Signature=[redacted]&flag',
    );
    expect(redactUrl('/api/v1/models')).toBe('/api/v1/models');
    expect(redactUrl('/x?%74oken=abc#frag')).toBe('/x?%74oken=[redacted]');
  });

  it('drops user-info from absolute URLs', () => {
    expect(redactUrl('https://user:hunter2@warden.example:8443/api?sig=abc')).toBe(
      'https://warden.example:8443/api?sig=[redacted]',
    );
    expect(redactUrl('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
  });
});

describe('redactUrlsIn', () => {
  it('redacts each absolute URL quoted in a message', () => {
    expect(
      redactUrlsIn('cannot be constructed from http://ops:pw@127.0.0.1:1/api/v1/models?limit=100&key=k.'),
    ).toBe('cannot be constructed from http://127.0.0.1:1/api/v1/models?limit=100&key=[redacted].');
  });
});

describe('scrubSecrets', () => {
  it('drops user-info from URLs in text', () => {
    expect(scrubSecrets('{"msg":"connect postgres://warden:pw@db:5432/warden failed"}')).toBe(
      '{"msg":"connect postgres://db:5432/warden failed"}',
    );
  });

  it('removes token secrets, bearer values and credential pairs from text', () => {
    const text =
      'GET /x?token=abc&limit=1 Authorization: Bearer eyJa.b.c wdn_0123456789ABCDEF_secretsecret sig=zz password=p';
    expect(scrubSecrets(text)).toBe(
      'GET /x?token=[redacted]&limit=1 Authorization: Bearer [redacted] wdn_0123456789ABCDEF_[redacted] sig=[redacted] password=[redacted]',
    );
  });

  it('removes webhook signing secrets', () => {
    expect(scrubSecrets('{"msg":"secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw+/k1Sg== rejected"}')).toBe(
      '{"msg":"secret whsec_[redacted] rejected"}',
    );
  });
});
