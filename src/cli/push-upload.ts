import { createHash, randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { ModelFiles } from '../modules/manifest/index.js';
import { rootDigest } from '../modules/manifest/root-digest.js';
import { UPLOAD_PIECES_IN_FLIGHT } from './api-client.js';
import { fileChangedDuringUpload } from './cli-errors.js';

const chunkSize = 1024 * 1024;

export interface PushBody {
  contentType: string;
  contentLength: number;
  stream: AsyncIterable<Uint8Array>;
}

/**
 * Encodes a push as multipart/form-data: the metadata field, one part per file (streamed from disk with
 * 1 MiB reads and hashed on the way), then the root digest computed from those very bytes, so the server
 * can refuse the version if anything changed in transit. The length is known in advance, so the server can
 * refuse an oversize upload before reading it.
 *
 * The stream reuses UPLOAD_PIECES_IN_FLIGHT + 1 read buffers: a chunk it yielded stays valid only until
 * UPLOAD_PIECES_IN_FLIGHT more are asked for, so its consumer must have sent it by then, as
 * ApiClient.upload does. A consumer that kept chunks would send altered bytes, and the server would then
 * refuse the version (the root digest is computed from the bytes as read).
 */
export function encodePush(metadata: unknown, model: ModelFiles, onBytes: (n: number) => void): PushBody {
  const boundary = `warden-${randomBytes(16).toString('hex')}`;
  const enc = (s: string) => Buffer.from(s, 'utf8');
  const head = enc(
    `--${boundary}\r\nContent-Disposition: form-data; name="metadata"\r\n\r\n${JSON.stringify(metadata)}\r\n`,
  );
  const fileHeads = model.files.map((f) =>
    enc(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename*=UTF-8''${encodeURIComponent(uploadName(model, f.path, f.absPath))}\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
  );
  const digestHead = enc(`--${boundary}\r\nContent-Disposition: form-data; name="digest"\r\n\r\n`);
  const tail = enc(`\r\n--${boundary}--\r\n`);
  const digestLength = 'sha256:'.length + 64;
  const contentLength =
    head.length +
    fileHeads.reduce((n, h) => n + h.length + 2, 0) +
    model.files.reduce((n, f) => n + f.size, 0) +
    digestHead.length +
    digestLength +
    tail.length;

  async function* body(): AsyncGenerator<Uint8Array> {
    const buffers = Array.from({ length: UPLOAD_PIECES_IN_FLIGHT + 1 }, () => Buffer.allocUnsafe(chunkSize));
    yield head;
    const digests: string[] = [];
    for (const [i, file] of model.files.entries()) {
      yield fileHeads[i] as Buffer;
      const hash = createHash('sha256');
      let sent = 0;
      const handle = await open(file.absPath, 'r');
      // The next chunk is read (on libuv's pool) while this one is hashed and sent, into the next of a
      // ring of buffers one larger than the pieces ApiClient.upload leaves in the socket's hands, so the
      // buffer read into next is free. No 1 MiB of garbage per chunk. A read left behind by an error is
      // awaited by close(); its rejection is not unhandled.
      let turn = 0;
      const readAt = (position: number) => {
        const read = handle.read(buffers[turn++ % buffers.length] as Buffer, 0, chunkSize, position);
        read.catch(() => {});
        return read;
      };
      try {
        let ahead = readAt(0);
        for (;;) {
          const { bytesRead, buffer } = await ahead;
          if (bytesRead === 0) break;
          sent += bytesRead;
          if (sent > file.size) throw fileChangedDuringUpload(file.absPath);
          ahead = readAt(sent);
          const chunk = buffer.subarray(0, bytesRead);
          hash.update(chunk);
          onBytes(bytesRead);
          yield chunk;
        }
      } finally {
        await handle.close();
      }
      if (sent !== file.size) throw fileChangedDuringUpload(file.absPath);
      digests.push(hash.digest('hex'));
      yield enc('\r\n');
    }
    const root = rootDigest(model.files.map((f, i) => ({ name: f.path, digest: digests[i] as string })));
    yield digestHead;
    yield enc(`sha256:${root}`);
    yield tail;
  }

  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    contentLength,
    stream: body(),
  };
}

/** A single-file model's manifest names its one resource "."; the registry keeps the file's own name. */
function uploadName(model: ModelFiles, manifestPath: string, absPath: string): string {
  return model.kind === 'file' ? (absPath.split(/[\\/]/).pop() ?? manifestPath) : manifestPath;
}
