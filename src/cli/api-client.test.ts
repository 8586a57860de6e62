import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/errors.js';
import { checkServerUrl } from './api-client.js';

const refusal = (url: string) => {
  try {
    checkServerUrl(url);
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('server_url_invalid');
    return (err as AppError).message;
  }
};

describe('checkServerUrl', () => {
  it.each([
    'http://127.0.0.1:8080',
    'https://warden.example',
    'HTTP://LOCALHOST:1',
    'http://[::1]:8080/base',
  ])('accepts %s', (url) => expect(refusal(url)).toBeNull());

  it.each([
    ['localhost:8080', 'has no scheme: add http:// or https://, e.g. http://localhost:8080'],
    ['127.0.0.1:8080', 'has no scheme'],
    ['warden.internal', 'has no scheme'],
    ['//warden.internal', 'e.g. http://warden.internal'],
    ['http:/x', 'is malformed'],
    ['http//x', 'has no scheme'],
    [' http://x', 'has spaces around it'],
    ['ftp://x', 'uses ftp://'],
    ['file:///etc/passwd', 'uses file://'],
    ['http://', 'is not a valid URL'],
  ])('refuses %j: %s', (url, reason) => {
    const message = refusal(url);
    expect(message).toContain(JSON.stringify(url));
    expect(message).toContain(reason);
  });
});
