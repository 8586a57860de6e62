import { defineError } from '../../../platform/errors.js';

/** A reference dataset that cannot be read: where (line or row) and why. */
export const referenceInvalid = defineError(
  'monitor_reference_invalid',
  'invalid',
  (reason: string, where: { line?: number; row?: number; column?: string } = {}) => {
    const at =
      where.line !== undefined ? `line ${where.line}: ` : where.row !== undefined ? `row ${where.row}: ` : '';
    return { message: `The reference dataset is invalid: ${at}${reason}.`, details: { reason, ...where } };
  },
);

/** A reference dataset without a single data row. */
export const referenceEmpty = defineError('monitor_reference_empty', 'invalid', () => ({
  message: 'The reference dataset holds no data rows.',
}));

/** Neither an explicit format nor the content type or file name said which of CSV, JSON Lines or Parquet it is. */
export const referenceFormatUnknown = defineError(
  'monitor_reference_format_unknown',
  'invalid',
  (given: string) => ({
    message: `Cannot tell the reference dataset's format from ${JSON.stringify(given)}: use csv, jsonl or parquet.`,
    details: { given, formats: ['csv', 'jsonl', 'parquet'] },
  }),
);

/** A reference dataset larger than `monitor.reference.maxBytes`. */
export const referenceTooLarge = defineError('monitor_reference_too_large', 'too_large', (limit: number) => ({
  message: `The reference dataset is larger than the ${limit}-byte limit (monitor.reference.maxBytes).`,
  details: { limit },
}));

/** The dataset's columns do not fit the model's signature (or the roles given): every problem listed. */
export const referenceColumnsMismatch = defineError(
  'monitor_reference_columns_mismatch',
  'invalid',
  (problems: string[]) => ({
    message: `The reference dataset's columns do not match the model: ${problems.join('; ')}.`,
    details: { problems },
  }),
);

/** A `roles` or `sources` override that does not parse, or names a role that does not exist. */
export const referenceRolesInvalid = defineError(
  'monitor_reference_roles_invalid',
  'invalid',
  (reason: string) => ({ message: `The column roles are invalid: ${reason}.`, details: { reason } }),
);

/** The version has no reference dataset attached. */
export const referenceNotFound = defineError(
  'monitor_reference_not_found',
  'not_found',
  (model: string, version: number) => ({
    message: `Version ${version} of "${model}" has no reference dataset.`,
    details: { model, version },
  }),
);
