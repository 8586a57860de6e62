import { invalidExpiry } from './identity.errors.js';

/** Tokens always expire: this long when no expiry is given, and never later than maxTokenLifetimeDays. */
export const defaultTokenLifetimeDays = 90;
export const maxTokenLifetimeDays = 400;
const minute = 60_000;
const unitMs = { m: minute, h: 60 * minute, d: 24 * 60 * minute } as const;

/**
 * Turns `--expires` into an instant: a duration (`90m`, `12h`, `30d`), a date (`2026-12-31`: valid through
 * the end of that day, UTC) or a date-time with a zone (`2026-12-31T18:00:00Z`, `…+02:00`). Absent means the
 * default lifetime. The result must lie in the future and within the maximum lifetime.
 */
export function resolveTokenExpiry(value: string | undefined, now: Date): Date {
  const at =
    value === undefined ? new Date(now.getTime() + defaultTokenLifetimeDays * unitMs.d) : parse(value, now);
  if (value === undefined) return at;
  if (at.getTime() <= now.getTime()) throw invalidExpiry(value, 'is not in the future');
  if (at.getTime() > now.getTime() + maxTokenLifetimeDays * unitMs.d)
    throw invalidExpiry(value, `is more than ${maxTokenLifetimeDays} days away`);
  return at;
}

function parse(value: string, now: Date): Date {
  const duration = /^([1-9][0-9]{0,5})([mhd])$/.exec(value);
  if (duration?.[1] && duration[2])
    return new Date(now.getTime() + Number(duration[1]) * unitMs[duration[2] as keyof typeof unitMs]);
  if (!isRealDay(value.slice(0, 10))) throw unreadable(value);
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(`${value}T23:59:59.999Z`);
  // A date-time must say its zone: a local time would mean different instants on client and server.
  if (/^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    const at = new Date(value);
    if (!Number.isNaN(at.getTime())) return at;
  }
  throw unreadable(value);
}

/** Date parsing rolls 2026-02-30 over into March; a day that does not exist is refused instead. */
function isRealDay(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d;
}

const unreadable = (value: string) =>
  invalidExpiry(
    value,
    'is not understood: use a duration (90m, 12h, 30d), a date (2026-12-31) or a date-time with a zone (2026-12-31T18:00:00Z)',
  );
