import { describe, expect, it } from 'vitest';
import { actorLabel } from './actor-label.js';

describe('actorLabel', () => {
  it('shows the name, then the exact id; the id alone when no name was kept', () => {
    expect(actorLabel('token:01J9', 'ci-bot')).toBe('ci-bot (token:01J9)');
    expect(actorLabel('token:01J9', null)).toBe('token:01J9');
    expect(actorLabel('token:01J9', '')).toBe('token:01J9');
  });

  it('cannot be made to fake or hide text on a terminal', () => {
    // An OIDC preferred_username is the user's to choose: escapes, bidi overrides, zero-width characters.
    expect(actorLabel('oidc:https://idp#u1', 'eve\u001b[2K\rroot\u202e\u200b')).toBe(
      'eve\uFFFD[2K\uFFFDroot\uFFFD\uFFFD (oidc:https://idp#u1)',
    );
  });
});
