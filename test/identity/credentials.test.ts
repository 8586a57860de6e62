import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { credentialsPath, resolveCredentials, writeCredentialsFile } from '../../src/cli/credentials.js';

describe('CLI credentials', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(path.join(tmpdir(), 'warden-home-'));
  });
  afterEach(() => {
    rmSync(home, { recursive: true, force: true });
  });
  const save = (url: string, token: string) =>
    writeCredentialsFile(path.join(home, '.config', 'warden', 'credentials.json'), { url, token });

  it('finds the file under XDG_CONFIG_HOME, else ~/.config', () => {
    expect(credentialsPath({ HOME: '/home/a' })).toBe('/home/a/.config/warden/credentials.json');
    expect(credentialsPath({ HOME: '/home/a', XDG_CONFIG_HOME: '/cfg' })).toBe(
      '/cfg/warden/credentials.json',
    );
    expect(credentialsPath({ HOME: '/home/a', XDG_CONFIG_HOME: 'relative' })).toBe(
      '/home/a/.config/warden/credentials.json',
    );
    expect(credentialsPath({})).toBeNull();
  });

  it('takes flags over the environment over the saved login', () => {
    save('https://saved.example', 'wdn_saved');
    const env = { HOME: home, WARDEN_URL: 'https://env.example', WARDEN_TOKEN: 'wdn_env' };
    expect(resolveCredentials({ url: 'https://flag.example/', token: 'wdn_flag' }, env)).toEqual({
      url: 'https://flag.example',
      token: 'wdn_flag',
    });
    expect(resolveCredentials({}, env)).toEqual({ url: 'https://env.example', token: 'wdn_env' });
    expect(resolveCredentials({}, { HOME: home })).toEqual({
      url: 'https://saved.example',
      token: 'wdn_saved',
    });
    expect(resolveCredentials({}, { HOME: home, WARDEN_TOKEN: 'wdn_env' })).toEqual({
      url: 'https://saved.example',
      token: 'wdn_env',
    });
  });

  it('never sends the saved token to another server', () => {
    save('https://saved.example', 'wdn_saved');
    expect(resolveCredentials({ url: 'https://elsewhere.example' }, { HOME: home })).toEqual({
      url: 'https://elsewhere.example',
      token: null,
    });
    expect(resolveCredentials({}, { HOME: home, WARDEN_URL: 'https://saved.example/' })).toEqual({
      url: 'https://saved.example',
      token: 'wdn_saved',
    });
  });

  it('works without any credentials: the default URL and no token', () => {
    expect(resolveCredentials({}, { HOME: home })).toEqual({ url: 'http://127.0.0.1:8080', token: null });
    expect(resolveCredentials({}, {})).toEqual({ url: 'http://127.0.0.1:8080', token: null });
  });

  it('refuses a garbled file and one other users can read', () => {
    const dir = path.join(home, '.config', 'warden');
    const file = path.join(dir, 'credentials.json');
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, '{ nope', { mode: 0o600 });
    expect(() => resolveCredentials({}, { HOME: home })).toThrow(/not valid JSON/);
    writeFileSync(file, JSON.stringify({ url: 'https://x.example' }), { mode: 0o600 });
    expect(() => resolveCredentials({}, { HOME: home })).toThrow(/does not hold a url and a token/);
    save('https://x.example', 'wdn_x');
    chmodSync(file, 0o644);
    expect(() => resolveCredentials({}, { HOME: home })).toThrow(/can be read by other users/);
  });
});
