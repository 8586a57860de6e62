import { defineError } from '../../platform/errors.js';
import type { Severity } from './severity.js';

export const unsafeModel = defineError(
  'unsafe_model',
  'precondition_failed',
  (severity: Severity, threshold: Severity, files: string[]) => ({
    message:
      `The pickle scan found ${severity}-severity findings (the threshold is ${threshold}) in ` +
      `${files.length === 1 ? JSON.stringify(files[0]) : `${files.length} files`}.`,
    details: { severity, threshold, files },
  }),
);
