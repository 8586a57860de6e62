import { describe, expect, it } from 'vitest';
import { pae } from './dsse.js';

describe('pae', () => {
  it('matches the DSSE spec example, with byte lengths', () => {
    expect(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString()).toBe(
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
    );
    expect(pae('t', Buffer.from('é')).toString()).toBe('DSSEv1 1 t 2 é');
  });
});
