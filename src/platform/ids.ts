import { randomBytes } from 'node:crypto';
import { uuidv7 } from 'uuidv7';

/** A new time-sortable unique id (UUIDv7), made by the application rather than the database. */
export function newId(): string {
  return uuidv7();
}

/**
 * A generator of request ids in the UUIDv7 layout (the millisecond first, so they sort by arrival), made
 * for one per request: a random part drawn once per generator and a counter, no entropy per call (the
 * random UUIDv7 of `newId` costs three times as much). Unique within the generator; across processes, as
 * unlikely to collide as 44 random bits make two generators started in the same millisecond.
 */
export function requestIdGenerator(): () => string {
  const node = randomBytes(6).toString('hex');
  // Version 7, then the variant (10xx) with the random bits, then the rest of them and a 32-bit counter.
  const randA = node.slice(0, 3);
  const variant = `${(0x8 | (Number.parseInt(node.charAt(3), 16) & 0x3)).toString(16)}${node.slice(4, 7)}`;
  const tail = node.slice(7, 11);
  let counter = 0;
  let lastMs = -1;
  let prefix = '';
  return () => {
    const ms = Date.now();
    if (ms !== lastMs) {
      lastMs = ms;
      const hex = ms.toString(16).padStart(12, '0');
      prefix = `${hex.slice(0, 8)}-${hex.slice(8)}-7${randA}-${variant}-${tail}`;
    }
    counter = (counter + 1) >>> 0;
    return `${prefix}${counter.toString(16).padStart(8, '0')}`;
  };
}
