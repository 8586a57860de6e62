import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exitCodeOfKind } from '../../src/cli/exit-codes.js';
import { statusOfKind } from '../../src/http/http-errors.js';
import { definedErrorCodes, errorKinds } from '../../src/platform/errors.js';
// Importing the entry points registers every error code the server and the CLI can raise.
import '../../src/server.js';
import '../../src/cli/program.js';
import '../../src/cli/cli-errors.js';
import '../../src/cli/commands/model-transfer.js';
import '../../src/cli/commands/model-read.js';
import '../../src/cli/commands/alias.js';
import '../../src/cli/commands/digest.js';
import '../../src/cli/commands/token.js';
import '../../src/cli/commands/login.js';
import '../../src/cli/commands/audit.js';
import '../../src/cli/commands/policy.js';
import '../../src/cli/credentials.js';
import '../../src/cli/commands/sign.js';
import '../../src/cli/commands/verify.js';
import '../../src/cli/commands/keygen.js';
import '../../src/cli/commands/keys.js';
import '../../src/cli/commands/scan.js';
import '../../src/cli/commands/signer.js';
import '../../src/cli/commands/model-delete.js';
import '../../src/cli/commands/attest.js';
import '../../src/cli/commands/webhook.js';
// Not wired into the server yet: the monitor's statistics (issue 13).
import '../../src/modules/monitor/index.js';

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

describe('docs/errors.md', () => {
  it('lists every error code with its kind, and no code that does not exist', () => {
    const documented = new Map(
      [...doc.matchAll(/^\| `([a-z0-9_]+)` \| ([a-z_]+) \|/gm)].map((m) => [m[1], m[2]]),
    );
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(definedErrorCodes()));
  });

  it('gives the HTTP status and CLI exit code of every kind as the code maps them', () => {
    for (const kind of errorKinds) {
      expect(doc).toContain(`| ${kind} | ${statusOfKind[kind]} | ${exitCodeOfKind[kind]} |`);
    }
  });
});
