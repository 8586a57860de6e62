// A file download over a bare TCP socket whose reads land in one reused buffer (net's `onread`).
//
// Why not node:http: its parser copies every body piece into a fresh Buffer (one per 64 KiB socket read,
// 8,192 per 512 MiB), and those buffers' external memory drives major garbage collections; with the
// stream machinery around them that was about half of a pull's CLI CPU beside SHA-256 (bench/README.md,
// "Push and pull, round 5"). Here the socket reads into one 1 MiB buffer and the body goes from it
// straight to the sink. Only the answers Warden's files route gives are handled (plain http, HTTP/1.x,
// Content-Length, no transfer coding); for anything else the caller asks again over node:http.
import net from 'node:net';

const READ_BUFFER = 1024 * 1024;
/** A response head larger than this is no Warden answer. */
const MAX_HEAD = 64 * 1024;

/** Where a raw download's body goes, straight from the socket's read buffer. */
export interface BodySink {
  /** Takes what it can of `piece` now and returns how much; `piece` is the socket's buffer: copy, never keep. */
  take(piece: Buffer): number;
  /** Resolves once `take` can accept more (after it took less than it was offered). */
  ready(): Promise<void>;
}

export interface RawResponse {
  status: number;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The body's length when the answer is one this client reads (Content-Length, no transfer coding). */
  length: number | null;
  /** Delivers exactly `length` bytes to the sink; rejects with `broken(reason)`'s error if the connection ends early. */
  readInto(sink: BodySink): Promise<number>;
  /** The whole body as text (error answers; bounded by MAX_TEXT). */
  readText(): Promise<string>;
  cancel(): void;
}

const MAX_TEXT = 1024 * 1024;
const FORBIDDEN = /[\r\n\0]/;

/**
 * Sends a GET and resolves with the answer's head, the body not yet read (the socket waits). Null when
 * the request cannot be written this way (https, a header value node:http would refuse): use node:http.
 * `broken` makes the error for a connection that fails or ends before the body does.
 */
export async function rawGet(
  url: URL,
  headers: Record<string, string>,
  broken: (reason: string) => Error,
): Promise<RawResponse | null> {
  if (url.protocol !== 'http:') return null;
  const lines = [`GET ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`];
  for (const [name, value] of Object.entries(headers)) {
    if (FORBIDDEN.test(name) || FORBIDDEN.test(value) || name.includes(':')) return null;
    lines.push(`${name}: ${value}`);
  }
  lines.push('Connection: close', '', '');

  const readBuffer = Buffer.allocUnsafe(READ_BUFFER);
  let head: Buffer | null = Buffer.alloc(0);
  // Body bytes read but not yet taken (a view of readBuffer while the socket is paused, or a copy).
  let stash: Buffer | null = null;
  let sink: BodySink | null = null;
  let remaining = Number.POSITIVE_INFINITY;
  let taken = 0;
  let ended: Error | null = null;
  let cause: Error | null = null;
  let closed = false;
  let onHead: (r: RawResponse) => void = () => {};
  let fail: (err: Error) => void = () => {};
  let bodyDone: ((n: number) => void) | null = null;
  let bodyFailed: ((err: Error) => void) | null = null;

  /** Offers `piece` to the sink; false (pause the socket) when it took less, the rest kept in `stash`. */
  const deliver = (piece: Buffer): boolean => {
    const offered = piece.length > remaining ? piece.subarray(0, remaining) : piece;
    // A sink never throws (it reports a failure through ready()), so nothing escapes the socket callback.
    const n = offered.length === 0 ? 0 : (sink as BodySink).take(offered);
    taken += n;
    remaining -= n;
    if (remaining === 0) {
      bodyDone?.(taken);
      socket.destroy();
      return false;
    }
    if (n < offered.length) {
      stash = offered.subarray(n);
      void (sink as BodySink).ready().then(drain, (err: unknown) => finish(err as Error));
      return false;
    }
    return true;
  };
  const drain = () => {
    const rest = stash;
    stash = null;
    if (rest && !deliver(rest)) return;
    if (ended) finish(ended);
    else socket.resume();
  };
  const finish = (err: Error) => {
    bodyFailed?.(err);
    socket.destroy();
  };

  const socket = net.connect({
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port || 80),
    onread: {
      buffer: readBuffer,
      callback: (nread: number, buf: Uint8Array): boolean => {
        const piece = Buffer.from(buf.buffer, buf.byteOffset, nread);
        if (head) {
          head = Buffer.concat([head, piece]);
          const end = head.indexOf('\r\n\r\n');
          if (end < 0) {
            if (head.length <= MAX_HEAD) return true;
            fail(new Error('the answer has no end of headers'));
            socket.destroy();
            return false;
          }
          const response = parseHead(head.subarray(0, end).toString('latin1'));
          // A copy: the read buffer is used again before the caller asks for the body.
          stash = Buffer.from(head.subarray(end + 4));
          head = null;
          if (!response) {
            fail(new Error('the answer is not HTTP/1.x'));
            socket.destroy();
            return false;
          }
          remaining = response.length ?? Number.POSITIVE_INFINITY;
          onHead(response);
          return false; // Paused until the body is asked for.
        }
        if (!sink) {
          // readText: gathered whole (bounded).
          stash = Buffer.concat([stash ?? Buffer.alloc(0), piece]);
          if (stash.length > MAX_TEXT) finish(broken('the error answer is too long'));
          return true;
        }
        return deliver(piece);
      },
    },
  });

  const parseHead = (text: string): RawResponse | null => {
    const [statusLine = '', ...rest] = text.split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(statusLine);
    if (!m) return null;
    const fields: Record<string, string> = {};
    for (const line of rest) {
      const colon = line.indexOf(':');
      if (colon <= 0) return null;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      fields[name] = fields[name] === undefined ? value : `${fields[name]}, ${value}`;
    }
    const declared = fields['content-length'];
    const length =
      fields['transfer-encoding'] === undefined && declared !== undefined && /^\d{1,16}$/.test(declared)
        ? Number(declared)
        : null;
    return {
      status: Number(m[1]),
      headers: fields,
      length,
      readInto: (into) =>
        new Promise<number>((resolve, reject) => {
          if (length === null) throw new Error('readInto needs a Content-Length answer');
          sink = into;
          bodyDone = resolve;
          bodyFailed = reject;
          if (length === 0) {
            resolve(0);
            socket.destroy();
            return;
          }
          drain();
        }),
      readText: () =>
        new Promise<string>((resolve) => {
          sink = null;
          const text = () => {
            const body = stash ?? Buffer.alloc(0);
            const chunked = /(^|,)\s*chunked\s*$/i.test(fields['transfer-encoding'] ?? '');
            const bytes = chunked
              ? dechunk(body)
              : body.subarray(0, Math.min(body.length, length ?? body.length));
            resolve(bytes.toString('utf8'));
          };
          if (closed) return text();
          socket.once('close', text);
          socket.resume();
        }),
      cancel: () => socket.destroy(),
    };
  };

  socket.on('connect', () => socket.write(lines.join('\r\n')));
  socket.on('error', (err: NodeJS.ErrnoException) => {
    cause = err;
    ended = broken(err.code ?? err.message);
  });
  socket.on('close', () => {
    closed = true;
    const err = ended ?? broken('the connection closed before the body ended');
    ended = err;
    // Before the head: the request failed (refused, reset), reported as node:http's error would be.
    fail(cause ?? new Error('the connection closed before the answer'));
    // Bytes still stashed are delivered first; the failure follows once the sink has them.
    if (sink && remaining > 0 && !stash) finish(err);
  });
  return new Promise<RawResponse>((resolve, reject) => {
    onHead = resolve;
    fail = reject;
  });
}

/** The data of a chunked body (RFC 9112 §7.1), trailers ignored; what is there when it is cut short. */
function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', at);
    if (eol < 0) break;
    const size = Number.parseInt(body.subarray(at, eol).toString('latin1').split(';')[0] ?? '', 16);
    if (!Number.isFinite(size) || size <= 0) break;
    parts.push(body.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
