import { defineError } from '../../platform/errors.js';

/** A drift statistic was given a sample it cannot compare (empty once non-finite values are dropped, or of another kind). */
export const invalidSample = defineError('monitor_invalid_sample', 'invalid', (reason: string) => ({
  message: `Cannot compute a drift statistic: ${reason}.`,
  details: { reason },
}));
