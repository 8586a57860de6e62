import dns, { type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction, Socket } from 'node:net';
import {
  addressAllowed,
  type HostResolver,
  ipLiteralOf,
  type SendOutcome,
  type WebhookSender,
} from '../../modules/webhooks/index.js';

/** The resolver's shape (dns.lookup's): tests hand one in to stand for DNS. */
export type Lookup = (
  hostname: string,
  options: dns.LookupAllOptions,
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

const systemLookup: Lookup = (hostname, options, callback) => dns.lookup(hostname, options, callback);

export interface HttpWebhookSenderOptions {
  /** `webhooks.allowPrivateTargets`. */
  allowPrivateTargets: boolean;
  /** Name resolution (default: the system's, dns.lookup). */
  lookup?: Lookup;
}

/** How much of an answer's body is read (then dropped): a receiver cannot make the sender buffer more. */
const maxAnswerBytes = 64 * 1024;

class TargetForbidden extends Error {
  readonly code = 'WARDEN_TARGET_FORBIDDEN';
  constructor(readonly address: string) {
    super(`connection to ${address} refused: not an allowed webhook target`);
  }
}

/**
 * dns.lookup with the target rule applied to every address found: one refused address refuses the name
 * (so a rebinding answer cannot slip a private address in beside a public one). It is the lookup the socket
 * connects with, so the rule holds for the address actually used, not one resolved earlier.
 */
export function guardedLookup(allowPrivateTargets: boolean, lookup: Lookup = systemLookup): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const refused = addresses.find((a) => !addressAllowed(a.address, allowPrivateTargets));
      const first = addresses[0];
      if (refused) return callback(new TargetForbidden(refused.address), '', 0);
      if (!first)
        return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      if (options.all) return callback(null, addresses);
      callback(null, first.address, first.family);
    });
  };
}

/**
 * The registration-time resolver: every address of a name (all of them are checked). A name that does not
 * answer within `timeoutMs` (default 5 s) counts as unresolvable, so a registration never hangs on DNS.
 */
export function createDnsHostResolver(options: { lookup?: Lookup; timeoutMs?: number } = {}): HostResolver {
  const lookup = options.lookup ?? systemLookup;
  const timeoutMs = options.timeoutMs ?? 5000;
  return {
    resolve: (hostname) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(Object.assign(new Error(`${hostname} did not resolve in time`), { code: 'ETIMEOUT' })),
          timeoutMs,
        );
        lookup(hostname, { all: true, verbatim: true }, (err, addresses) => {
          clearTimeout(timer);
          if (err) reject(err);
          else resolve(addresses.map((a) => a.address));
        });
      }),
  };
}

/**
 * Sends webhook requests with node:http(s): one fresh connection per attempt (no pooled socket skips the
 * check), no redirects followed, the target rule applied to an IP-literal host before connecting, in the
 * lookup for a name, and once more to the socket's peer address when it connects.
 */
export function createHttpWebhookSender(options: HttpWebhookSenderOptions): WebhookSender {
  const { allowPrivateTargets } = options;
  const lookup = guardedLookup(allowPrivateTargets, options.lookup);

  return {
    send(request) {
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      const url = new URL(request.url);
      const literal = ipLiteralOf(url.hostname);
      if (literal !== null && !addressAllowed(literal, allowPrivateTargets)) {
        return Promise.resolve({
          kind: 'failure',
          failure: 'target_address_forbidden',
          detail: literal,
          durationMs: elapsed(),
        });
      }
      if (request.signal.aborted) return Promise.resolve({ kind: 'aborted' });

      return new Promise<SendOutcome>((resolve) => {
        let settled = false;
        const finish = (outcome: SendOutcome) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          request.signal.removeEventListener('abort', onAbort);
          resolve(outcome);
        };
        const client = url.protocol === 'https:' ? https : http;
        const req = client.request(url, {
          method: 'POST',
          headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
          agent: false,
          lookup,
        });
        const timer = setTimeout(() => {
          finish({ kind: 'failure', failure: 'timeout', detail: null, durationMs: elapsed() });
          req.destroy();
        }, request.timeoutMs);
        const onAbort = () => {
          finish({ kind: 'aborted' });
          req.destroy();
        };
        request.signal.addEventListener('abort', onAbort, { once: true });

        req.on('socket', (socket: Socket) => {
          socket.once('connect', () => {
            const peer = socket.remoteAddress;
            if (peer !== undefined && !addressAllowed(peer, allowPrivateTargets))
              socket.destroy(new TargetForbidden(peer));
          });
        });
        req.on('response', (res) => {
          let read = 0;
          const answered = () =>
            finish({
              kind: 'response',
              status: res.statusCode ?? 0,
              retryAfter: headerValue(res.headers['retry-after']),
              durationMs: elapsed(),
            });
          res.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read > maxAnswerBytes) {
              answered();
              res.destroy();
            }
          });
          res.on('end', answered);
          res.on('error', answered);
          res.on('close', answered);
        });
        req.on('error', (err: NodeJS.ErrnoException) => {
          if (err instanceof TargetForbidden)
            return finish({
              kind: 'failure',
              failure: 'target_address_forbidden',
              detail: err.address,
              durationMs: elapsed(),
            });
          const code = err.code ?? err.name;
          const failure = code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'dns_failed' : 'connection_failed';
          finish({ kind: 'failure', failure, detail: code, durationMs: elapsed() });
        });
        req.end(request.body);
      });
    },
  };
}

const headerValue = (value: string | string[] | undefined): string | null =>
  value === undefined ? null : Array.isArray(value) ? (value[0] ?? null) : value;
