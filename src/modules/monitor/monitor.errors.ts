import { defineError } from '../../platform/errors.js';

/** A drift statistic was given a sample it cannot compare (empty once non-finite values are dropped, or of another kind). */
export const invalidSample = defineError('monitor_invalid_sample', 'invalid', (reason: string) => ({
  message: `Cannot compute a drift statistic: ${reason}.`,
  details: { reason },
}));

/** No window summary with this id in the environment (never written, or past retention). */
export const windowNotFound = defineError('monitor_window_not_found', 'not_found', (id: string) => ({
  message: `No monitoring window ${id} in this environment.`,
  details: { id },
}));
