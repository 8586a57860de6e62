import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIRECT_BLOCK, type OpenDirect } from '../platform/direct-write.js';
import { writeHashedStream } from './write-hashed-stream.js';

const MiB = 1024 * 1024;
const refuses: OpenDirect = async () => {
  throw Object.assign(new Error('EINVAL: invalid argument, open'), { code: 'EINVAL' });
};

/** The data in network-sized pieces of uneven length, as a download delivers them. */
async function* pieces(data: Buffer): AsyncGenerator<Buffer> {
  for (let at = 0, i = 0; at < data.length; i++) {
    const n = 65_536 - (i % 7) * 997;
    yield data.subarray(at, at + n);
    at += n;
  }
}

describe('writeHashedStream with direct writes (pull)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'warden-direct-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  async function pull(data: Buffer, openDirect?: OpenDirect) {
    const target = path.join(dir, `f-${data.length}-${Math.random()}`);
    const handle = await open(target, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
    const hash = createHash('sha256');
    let seen = 0;
    try {
      const size = await writeHashedStream(pieces(data), handle, hash, (n) => (seen += n), {
        directPath: target,
        ...(openDirect ? { openDirect } : {}),
      });
      await handle.sync();
      expect(size).toBe(data.length);
    } finally {
      await handle.close();
    }
    expect(seen).toBe(data.length);
    expect(hash.digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));
    return readFile(target);
  }

  it.each([0, 1, DIRECT_BLOCK - 1, DIRECT_BLOCK, MiB - 1, MiB, MiB + 1, 3 * MiB + 4097])(
    'writes %i bytes exactly, the short last block cut back',
    async (n) => {
      const data = randomBytes(n);
      expect((await pull(data)).equals(data)).toBe(true);
    },
  );

  it('falls back to buffered writes where the filesystem refuses O_DIRECT at open', async () => {
    const data = randomBytes(2 * MiB + 123);
    expect((await pull(data, refuses)).equals(data)).toBe(true);
  });
});
